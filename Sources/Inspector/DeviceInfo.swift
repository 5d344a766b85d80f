/// What a connected board said about itself.
public struct DeviceInfo: Equatable, Sendable {
    /// `sys.implementation._mpy`.
    public var sysImplementationMPY: Int
    /// `sys.implementation.version` joined with dots, e.g. "1.27.0".
    public var micropythonVersion: String
    /// `sys.implementation._machine` when the firmware has it, e.g. "linux [GCC 12.2.0] version".
    public var machine: String?

    public var loadTarget: LoadTarget { LoadTarget(sysImplementationMPY: sysImplementationMPY) }

    /// Parses the line `DeviceQuery.script` prints: "mpyforge-device <_mpy or None> <version> <machine...>".
    public init(reply: String) throws(DeviceQueryError) {
        guard let line = reply.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix(DeviceQuery.marker + " ") }) else {
            throw .unexpectedReply(String(reply.prefix(200)))
        }
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard fields.count >= 3 else { throw .unexpectedReply(String(line)) }
        guard fields[1] != "None" else { throw .noMPYSupport }
        guard let value = Int(fields[1]) else { throw .unexpectedReply(String(line)) }
        sysImplementationMPY = value
        micropythonVersion = fields[2]
        machine = fields.count > 3 && fields[3] != "None" ? fields[3] : nil
    }
}
