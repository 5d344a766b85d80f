/// One thing wrong in an index, named by its path relative to the index root.
public struct VerifyProblem: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "\(path): \(message)" }
}

/// What `mpyforge verify` found.
public struct VerifyReport: Sendable {
    public var filesHashed = 0
    public var packagesChecked = 0
    public var problems: [VerifyProblem] = []

    public var isClean: Bool { problems.isEmpty }

    mutating func problem(_ path: String, _ message: String) {
        problems.append(VerifyProblem(path: path, message: message))
    }
}
