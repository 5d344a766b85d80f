/// Splits a command-line fragment into words the way sh does for the flags a Makefile
/// passes to the compiler: blanks separate words, '...' and "..." group, backslash escapes.
/// Upstream's natmod build hands $(CFLAGS) to sh, so `-DNAME=\"file.h\"` reaches the
/// compiler as -DNAME="file.h"; mpyforge runs the compiler without a shell and must do
/// this step itself. Expansions ($x, `...`) are not performed: make has already expanded.
enum ShellWords {
    struct UnclosedQuote: Error { let text: String }

    static func split(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            switch c {
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                var closed = false
                while let q = iterator.next() {
                    if q == "'" { closed = true; break }
                    current.append(q)
                }
                if !closed { throw UnclosedQuote(text: text) }
            case "\"":
                inWord = true
                var closed = false
                while let q = iterator.next() {
                    if q == "\"" { closed = true; break }
                    if q == "\\" {
                        // In double quotes a backslash escapes only these.
                        guard let e = iterator.next() else { break }
                        if !"\"\\$`".contains(e) { current.append("\\") }
                        current.append(e)
                    } else {
                        current.append(q)
                    }
                }
                if !closed { throw UnclosedQuote(text: text) }
            case "\\":
                inWord = true
                if let e = iterator.next(), e != "\n" { current.append(e) }
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
