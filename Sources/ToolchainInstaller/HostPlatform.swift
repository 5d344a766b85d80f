import Foundation

/// The platform keys of the toolchain table, named as in ESP-IDF's tools.json (with
/// "macos-x86_64" for what it calls "macos"): the host mpyforge runs on picks the archive.
public enum HostPlatform {
    public static let all = ["linux-amd64", "linux-arm64", "macos-arm64", "macos-x86_64"]

    /// The key for this machine, or nil where no vendor archive could run.
    public static var current: String? {
        var info = utsname()
        guard uname(&info) == 0 else { return nil }
        let system = field(&info.sysname)
        let machine = field(&info.machine)
        switch (system, machine) {
        case ("Linux", "x86_64"): return "linux-amd64"
        case ("Linux", "aarch64"), ("Linux", "arm64"): return "linux-arm64"
        case ("Darwin", "arm64"): return "macos-arm64"
        case ("Darwin", "x86_64"): return "macos-x86_64"
        default: return nil
        }
    }

    /// A human name for the machine, for messages about hosts the table has nothing for.
    public static var description: String {
        var info = utsname()
        guard uname(&info) == 0 else { return "this machine" }
        return "\(field(&info.sysname)) \(field(&info.machine))"
    }

    private static func field<T>(_ value: inout T) -> String {
        withUnsafeBytes(of: &value) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
