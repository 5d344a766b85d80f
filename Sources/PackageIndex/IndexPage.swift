import MPYFormat

/// index.html: which build a person's board needs and the command to type for it.
enum IndexPage {
    /// Shown where the base URL goes when publish was not told it; the page's script puts
    /// the address it was loaded from in its place.
    static let basePlaceholder = "BASE_URL"

    static func render(_ catalog: IndexCatalog) -> String {
        let base = catalog.baseURL ?? basePlaceholder
        let targets = catalog.targets.keys.compactMap(IndexTarget.init(directoryName:)).sorted()
        let packages = catalog.packages.keys.sorted()
        let example = packages.first ?? "module_name"
        var html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>MicroPython native modules</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
            code, pre { background: #f3f3f3; padding: 0.1rem 0.3rem; border-radius: 3px; overflow-wrap: anywhere; }
            pre { padding: 0.6rem; white-space: pre-wrap; }
            table { border-collapse: collapse; margin: 1rem 0; }
            th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
            td.build code { white-space: nowrap; }
            .hint { border-left: 4px solid #c80; padding: 0.2rem 0.8rem; background: #fff8ec; }
            /* Phones: each table row becomes a card, each cell a labelled line. */
            @media (max-width: 40rem) {
              body { margin: 1rem auto; }
              table, tbody, tr, td { display: block; }
              tr:first-child { display: none; }
              tr { border: 1px solid #ccc; margin-bottom: 0.8rem; }
              td { border: none; border-top: 1px solid #eee; }
              td::before { content: attr(data-label); display: block; font-size: 0.8rem; color: #555; }
            }
            </style>
            </head>
            <body>
            <h1>MicroPython native modules</h1>
            <p>These modules contain machine code, so each board needs the build for its CPU
            architecture and MicroPython's .mpy ABI. Find your board below and use its commands.
            To see what a board runs, type <code>import sys; print(hex(sys.implementation._mpy))</code>
            at its REPL: the low byte is the .mpy version (6), bits 8-9 the ABI sub-version and
            bits 10-15 the architecture number.</p>
            <p>With a board on USB, mpyforge asks it and picks the build:
            <code>mpyforge install \(escape(example)) --index \(url(base))</code></p>
            <p class="hint" id="wrong-level">This page's address is the root of the index, not a mip index for
            the modules: <code>mip</code> or <code>mpremote mip install --index</code> pointed here answers
            <code>Package not found</code>. Each build directory (<code>\(targets.map(\.name).joined(separator: "</code>, <code>"))</code>)
            is a mip index: use your board's row below.</p>

            <h2>Which build</h2>
            <table id="builds">
            <tr><th>Boards</th><th>Build</th><th>MicroPython</th><th>Install with mpremote (from the PC)</th><th>Install on the board (networked)</th></tr>

            """
        var unpublished: [NativeArch] = []
        for arch in NativeArch.allCases {
            let builds = targets.filter { $0.arch == arch }
            if builds.isEmpty { unpublished.append(arch) }
            for target in builds {
                let index = "\(base)/\(target.name)"
                html += """
                    <tr data-build="\(target.name)"><td data-label="Boards">\(escape(arch.boards))</td><td data-label="Build" class="build"><code>\(target.name)</code></td>\
                    <td data-label="MicroPython">\(escape(target.abi.micropythonReleases))</td>\
                    <td data-label="Install with mpremote (from the PC)"><code>mpremote mip install --index \(url(index)) \(escape(example))</code></td>\
                    <td data-label="Install on the board (networked)"><code>import mip; mip.install("\(escape(example))", index="\(url(index))")</code></td></tr>

                    """
            }
        }
        html += """
            </table>
            <p>ABI 6.3 is MicroPython 1.23 and later; ABI 6.2 is MicroPython 1.22.</p>
            \(unpublishedNote(unpublished))

            <h2>Other ways to install</h2>
            <ul>
            <li>One file by URL: <code>mpremote mip install \(url("\(base)/<build>/\(escape(example)).mpy"))</code></li>
            <li>A given version: <code>mpremote mip install --index \(url("\(base)/<build>")) \(escape(example))@&lt;version&gt;</code></li>
            <li>Every module of a build at once: <code>mpremote mip install \(url("\(base)/<build>/package.json"))</code></li>
            <li>Let the board choose its build: install the small pure-Python installer, then run it on the board:
            <pre>import mip
            mip.install("\(url("\(base)/\(IndexLayout.installer)"))")
            import mpyforge_install
            mpyforge_install.install("\(escape(example))"\(catalog.baseURL == nil ? ", base=\"\(url(base))\"" : ""))</pre></li>
            </ul>

            <h2>Packages</h2>
            <table id="packages">
            <tr><th>Package</th><th>Latest</th><th>Versions</th><th>Builds (latest)</th></tr>

            """
        for name in packages {
            guard let package = catalog.packages[name] else { continue }
            let versions = package.versions.keys.sorted().map(escape).joined(separator: ", ")
            let builds = package.latestByTarget.keys.sorted().map { targetName -> String in
                let size = package.versions[package.latestByTarget[targetName] ?? ""]?[targetName]?.size ?? 0
                return "<a href=\"\(targetName)/\(escape(name)).mpy\">\(targetName)</a> (\(size) bytes)"
            }.joined(separator: "<br>")
            html += "<tr><td data-label=\"Package\">\(escape(name))</td><td data-label=\"Latest\">\(escape(package.latest))</td><td data-label=\"Versions\">\(versions)</td><td data-label=\"Builds (latest)\">\(builds)</td></tr>\n"
        }
        html += """
            </table>
            <p>Machine-readable list: <a href="index.json">index.json</a>. Published with mpyforge.</p>

            """
        if catalog.baseURL == nil {
            html += """
                <script>
                // Published without --base-url: show this page's own address in the commands.
                const base = location.href.replace(/[?#].*$/, "").replace(/\\/(index\\.html)?$/, "");
                for (const span of document.querySelectorAll("span.base")) span.textContent = base;
                </script>

                """
        }
        return html + "</body>\n</html>\n"
    }

    private static func unpublishedNote(_ arches: [NativeArch]) -> String {
        guard !arches.isEmpty else { return "" }
        let list = arches.map { "\(escape($0.boards)) (<code>\($0.rawValue)</code>)" }.joined(separator: "; ")
        return "<p id=\"unpublished\">No build published for: \(list).</p>"
    }

    /// A URL in a command, with the base in a span the script can fill in.
    private static func url(_ text: String) -> String {
        let escaped = escape(text)
        let base = escape(basePlaceholder)
        return escaped.replacingOccurrences(of: base, with: "<span class=\"base\">\(base)</span>")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
