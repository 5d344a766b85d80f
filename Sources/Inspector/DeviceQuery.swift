import Foundation

/// Asks a board through mpremote what it loads. `resume` keeps mpremote from soft-resetting
/// the board first (the unix port exits on that reset).
public struct DeviceQuery: Sendable {
    static let marker = "mpyforge-device"
    /// Prints one line: the marker, _mpy, the version and the machine.
    static let script = "import sys; i = sys.implementation; print('\(marker)', getattr(i, '_mpy', None), '.'.join(str(p) for p in i.version[:3]), getattr(i, '_machine', None))"

    public var port: String
    public var mpremote: String
    public var timeoutSeconds: Int

    public init(port: String, mpremote: String, timeoutSeconds: Int = 20) {
        self.port = port
        self.mpremote = mpremote
        self.timeoutSeconds = timeoutSeconds
    }

    /// mpremote from MPYFORGE_MPREMOTE, else PATH, else the project's .venv.
    public static func findMPRemote(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["MPYFORGE_MPREMOTE"], !explicit.isEmpty { return explicit }
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + [".venv/bin"]
        return directories.map { $0 + "/mpremote" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public func run() throws(DeviceQueryError) -> DeviceInfo {
        let finished: GroupedProcess.Finished
        do {
            finished = try GroupedProcess.run(mpremote, ["connect", port, "resume", "exec", DeviceQuery.script],
                                              timeoutSeconds: Double(timeoutSeconds))
        } catch {
            throw .mpremoteNotFound
        }
        guard let status = finished.status else { throw .timedOut(seconds: timeoutSeconds) }
        let text = String(decoding: finished.output, as: UTF8.self)
        guard status == 0 else {
            throw .mpremoteFailed(status: status, output: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return try DeviceInfo(reply: text)
    }
}
