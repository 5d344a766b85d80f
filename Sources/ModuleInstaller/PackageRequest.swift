/// One `NAME[@VERSION]` from the command line, as mpremote's mip spells it.
public struct PackageRequest: Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var version: String?

    public init(name: String, version: String? = nil) {
        self.name = name
        self.version = version
    }

    public init(parsing text: String) throws(InstallError) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0]
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw .badPackageRequest(text)
        }
        if parts.count == 2 {
            let version = parts[1]
            guard !version.isEmpty, version.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-+".contains($0)) }) else {
                throw .badPackageRequest(text)
            }
            self.init(name: name, version: version)
        } else {
            self.init(name: name)
        }
    }

    /// `name` or `name@version`, for mpremote.
    public var description: String { version.map { "\(name)@\($0)" } ?? name }
}
