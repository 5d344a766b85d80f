/// Module names become import names and file names: Python identifiers only.
enum ModuleName {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !name.isEmpty, name.count <= 64 else { return false }
        let isWord: (Unicode.Scalar) -> Bool = { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0)) }
        return isWord(first) && !("0"..."9").contains(first) && name.unicodeScalars.allSatisfy(isWord)
    }
}
