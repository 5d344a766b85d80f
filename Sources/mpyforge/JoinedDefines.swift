/// `-DNAME=VALUE` as compilers take it. swift-argument-parser reads a joined short option
/// with an `=` as option `-DNAME` with value `VALUE` and refuses it; splitting it into
/// `-D NAME=VALUE` before parsing gives the meaning every C programmer expects.
enum JoinedDefines {
    static func split(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var afterTerminator = false
        for argument in arguments {
            if argument == "--" { afterTerminator = true }
            if !afterTerminator, argument.count > 2, argument.hasPrefix("-D") || argument.hasPrefix("-I"), argument.contains("=") {
                result.append(String(argument.prefix(2)))
                result.append(String(argument.dropFirst(2)))
            } else {
                result.append(argument)
            }
        }
        return result
    }
}
