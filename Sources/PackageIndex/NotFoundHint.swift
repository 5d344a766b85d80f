/// The text of a 404 from an index server. Stock mip and mpremote only say "Package not
/// found: <url>", so a person who opens that URL (or reads the server's answer) learns here
/// which level of the index is a mip index: each `<arch>_<abi>` directory, not the root.
/// Kept apart from the server so any server (ours, or a generated 404.html) can say it.
public enum NotFoundHint {
    /// `target` is the request target (path and query); `root` the served directory.
    public static func body(forTarget target: String, root: String) -> String {
        let path = String(target.prefix { $0 != "?" && $0 != "#" })
        let segments = path.split(separator: "/").map(String.init)
        let catalog = try? IndexJSON.decode(IndexCatalog.self, at: "\(root)/\(IndexLayout.catalog)")
        let builds = (catalog?.targets.keys.compactMap(IndexTarget.init(directoryName:)) ?? []).sorted()
        var lines = ["404 Not Found: \(path)"]
        guard let catalog, !builds.isEmpty else { return lines.joined(separator: "\n") + "\n" }

        if segments.count >= 3, segments[0] == "package" {
            // mip was given the index root: it asked for /package/<mpy>/<name>/<version>.json.
            lines += rootAdvice(name: segments[2], base: "<this server>", builds: builds, catalog: catalog)
        } else if let first = segments.first, let build = IndexTarget(directoryName: first) {
            if !builds.contains(build) {
                lines.append("This index has no \(build.name) build.")
            } else if segments.count >= 4, segments[1] == "package" {
                lines += packageHint(name: segments[3], version: segments.last.map { String($0.dropLast(".json".count)) },
                                     build: build, catalog: catalog)
            }
        }
        lines.append("Builds here (each a mip index): " + builds.map(\.name).joined(separator: ", "))
        lines.append("Which build a board needs, and the commands: /\(IndexLayout.page)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// What to type instead of the index root, for one package (or NAME).
    static func rootAdvice(name: String, base: String, builds: [IndexTarget], catalog: IndexCatalog) -> [String] {
        var lines = ["This is the root of an mpyforge index. Each build directory below is a mip index;",
                     "give the one for your board as --index (or let `mpyforge install` pick it):"]
        for build in builds where catalog.packages[name]?.latestByTarget[build.name] != nil || catalog.packages[name] == nil {
            lines.append("  mpremote mip install --index \(base)/\(build.name) \(name)    # \(build.arch.boards), \(build.abi.micropythonReleases)")
        }
        lines.append("  mpyforge install \(name) --index \(base)    # asks the board which build it loads")
        return lines
    }

    /// 404.html for static hosts that serve it for every missing path (GitHub Pages does):
    /// the same advice, for any package.
    static func page(_ catalog: IndexCatalog) -> String {
        let builds = catalog.targets.keys.compactMap(IndexTarget.init(directoryName:)).sorted()
        let base = catalog.baseURL ?? "<this site>"
        var lines = rootAdvice(name: "NAME", base: base, builds: builds, catalog: catalog)
        lines.append("Builds here (each a mip index): " + builds.map(\.name).joined(separator: ", "))
        let home = catalog.baseURL.map { "\($0)/\(IndexLayout.page)" } ?? "/"
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Not found: MicroPython native modules</title>
            <style>body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; } \
            pre { background: #f3f3f3; padding: 0.6rem; white-space: pre-wrap; overflow-wrap: anywhere; }</style>
            </head>
            <body>
            <h1>Not found</h1>
            <p>Nothing is published at this address. If mip or mpremote said <code>Package not found</code>
            with an address like this one, it was most likely given the index root:</p>
            <pre>\(IndexPage.escape(lines.joined(separator: "\n")))</pre>
            <p><a href="\(IndexPage.escape(home))">Which build a board needs, and the commands</a></p>
            </body>
            </html>

            """
    }

    private static func packageHint(name: String, version: String?, build: IndexTarget, catalog: IndexCatalog) -> [String] {
        guard let package = catalog.packages[name] else {
            return ["No package \(name) in this index; it has: " + catalog.packages.keys.sorted().joined(separator: ", ")]
        }
        let elsewhere = package.latestByTarget.keys.sorted()
        guard package.latestByTarget[build.name] != nil else {
            return ["\(name) is not published for \(build.name); it is for: " + elsewhere.joined(separator: ", ")]
        }
        let versions = package.versions.filter { $0.value[build.name] != nil }.keys.sorted()
        return ["\(name) has no version \(version ?? "?") for \(build.name); published: " + versions.joined(separator: ", ")]
    }
}
