import ELFReader
import MPYFormat

/// Links relocatable objects into a native .mpy image. Reads like the list of passes it is;
/// each pass lives in its own file as an extension of LinkContext.
public enum Linker {
    public static func link(_ request: LinkRequest) throws -> LinkResult {
        try runPasses(request).result()
    }

    /// The passes in order; returns the finished link state (tests look inside it).
    static func runPasses(_ request: LinkRequest) throws -> LinkContext {
        let link = LinkContext(request)
        try link.checkQstrTable()
        try link.loadObjects(request.objects)
        try link.pullRuntimeLibraryMembers()
        try link.checkDuplicateDefinitions()
        link.discardUnreachableSections()
        link.collectGOTEntries()
        try link.resolveUndefinedSymbols()
        try link.layOut()
        try link.fillGOTAndLiterals()
        try link.applyRelocations()
        try link.writeEntryJump()
        return link
    }
}
