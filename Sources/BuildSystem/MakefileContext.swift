import MPYFormat

/// What reading a natmod Makefile needs from the build that asks: which arches to evaluate
/// it for, the variables given on the command line (`CONFIG=fp32`), the compiler per arch
/// (passed as CC, as upstream's build would use it), and a scratch directory.
public struct MakefileContext: Sendable {
    public var arches: [NativeArch]
    /// NAME=VALUE words from the command line, passed to make as written.
    public var variables: [String]
    public var compilers: [NativeArch: String]
    /// Where make writes what it found, and where MicroPython-checkout views live.
    public var scratchDirectory: String
    /// mpyforge's SDK: holds py/dynruntime.mk (ours) and make/mpy-dir-probe.mk.
    public var sdkDirectory: String
    /// --micropython was given: sources that include MicroPython internals compile against it.
    public var micropythonGiven: Bool
    /// Seconds one make run may take before it is stopped.
    public var makeTimeout: Double = 300

    public init(arches: [NativeArch], variables: [String] = [], compilers: [NativeArch: String] = [:],
                scratchDirectory: String, sdkDirectory: String, micropythonGiven: Bool = false) {
        self.arches = arches
        self.variables = variables
        self.compilers = compilers
        self.scratchDirectory = scratchDirectory
        self.sdkDirectory = sdkDirectory
        self.micropythonGiven = micropythonGiven
    }

    /// Splits command-line words into NAME=VALUE make variables and the rest.
    public static func splitVariables(_ words: [String]) -> (variables: [String], others: [String]) {
        var variables: [String] = [], others: [String] = []
        for word in words {
            if let equals = word.firstIndex(of: "="), ManifestParser.isIdentifier(String(word[..<equals])) {
                variables.append(word)
            } else {
                others.append(word)
            }
        }
        return (variables, others)
    }
}
