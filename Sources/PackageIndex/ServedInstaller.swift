import Foundation

/// The arch-picking installer as `mpyforge serve` hands it out. An index published without
/// --base-url cannot know its own address, and mip tells the module it installs nothing about
/// where it came from; but the server knows the address a client reached it by (its socket's
/// local address), so it fills the installer's empty BASE_URL with that address on the way
/// out. The file on disk, and its hash in the index, stay as published.
public enum ServedInstaller {
    /// The empty value `mpyforge publish` leaves without --base-url (InstallerTemplate).
    static let emptyBaseURL = "BASE_URL = \"\""

    /// The installer's bytes with BASE_URL = `address` ("http://ip:port"), when `target` asks for the
    /// installer (by name, or by content hash through the root mip index) and it was published
    /// without an address; nil otherwise, and the file is sent as it is.
    public static func bytes(target: String, path: String, address: String) -> [UInt8]? {
        let requested = target.prefix { $0 != "?" && $0 != "#" }.split(separator: "/").map(String.init)
        let byName = requested == [IndexLayout.installer]
        let byHash = requested.count == 3 && requested[0] == IndexLayout.contentDirectory
        guard byName || byHash, let data = FileManager.default.contents(atPath: path), data.count <= 64 * 1024 else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix(InstallerTemplate.header), text.contains(emptyBaseURL) else { return nil }
        return Array(text.replacingOccurrences(of: emptyBaseURL, with: "BASE_URL = \"\(address)\"").utf8)
    }
}
