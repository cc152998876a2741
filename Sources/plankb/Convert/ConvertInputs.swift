import Foundation
import PlanIngest

/// One file to convert: where it is, and the stem its outputs are named after (`govcn-2019__01`).
struct ConvertInput: Hashable, Sendable {
    /// The path as found (relative when the user gave a relative path); documents name it as their source.
    var path: String
    /// The path below the argument it was found under (`govcn-2019/01.html` for folder `corpus`), or the file
    /// name for a file named directly.
    var relativePath: String
    /// Unique among the inputs of a run; every output of this input starts with it.
    var stem: String
    /// The file's size when the run was planned (0 when it cannot be read: converting it then reports why):
    /// what the progress line counts and the schedule orders by.
    var bytes: Int

    init(path: String, relativePath: String, stem: String, bytes: Int? = nil) {
        self.path = path
        self.relativePath = relativePath
        self.stem = stem
        self.bytes = bytes ?? Self.size(ofFile: path)
    }

    /// One `stat`: FileManager's attributes read the owner's and group's names too (`/etc/passwd` and
    /// `/etc/group` opened for every file).
    static func size(ofFile path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }
}

/// Turns the command's arguments — files, folders, globs, `-` for a list of paths on standard input — into
/// the inputs of a run, in a stable order, each with an output stem no other input shares.
enum ConvertInputs {
    /// The inputs in argument order (folders sorted inside), without repeats and without `excluded` paths, and
    /// the arguments that matched nothing.
    static func expand(_ arguments: [String], excluding excluded: ExcludedPaths = ExcludedPaths(patterns: []),
                       standardInput: () -> String) -> (inputs: [ConvertInput], missing: [String]) {
        var found: [(path: String, relative: String)] = []
        var missing: [String] = []
        var arguments = arguments[...]
        while let argument = arguments.popFirst() {
            if argument == "-" {
                // One path a line; blank lines and surrounding spaces ignored.
                let listed = standardInput().split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                arguments = listed[...] + arguments
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    found += DocumentFiles.find(under: [argument], excluding: excluded).files.map { ($0.path, $0.relativePath) }
                } else {
                    found.append((argument, (argument as NSString).lastPathComponent))
                }
            } else if argument.contains(where: { "*?[".contains($0) }) {
                // The shell did not expand it (quoted, or no match there): expand it here.
                if let recursive = recursiveGlob(argument) {
                    // Files found through ** are named by their path below the folder before it.
                    if recursive.isEmpty { missing.append(argument) }
                    found += recursive
                    continue
                }
                let matches = glob(argument)
                if matches.isEmpty { missing.append(argument) }
                arguments = matches[...] + arguments
            } else {
                missing.append(argument)
            }
        }
        var seen: Set<String> = []
        let unique = found.filter { !excluded.contains($0.path) && seen.insert(standardized($0.path)).inserted }
        let stems = assignStems(unique.map(\.relative), paths: unique.map(\.path))
        let inputs = zip(unique, stems).map { ConvertInput(path: $0.0.path, relativePath: $0.0.relative, stem: $0.1) }
        return (inputs, missing)
    }

    private static func standardized(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// `FOLDER/**/PATTERN`: the files at any depth below the folders FOLDER matches whose last path
    /// components match PATTERN (`fnmatch`, `/` matched literally), sorted; nil when there is no `**`.
    /// Hidden files and folders are skipped, as a shell skips them.
    static func recursiveGlob(_ pattern: String) -> [(path: String, relative: String)]? {
        guard let star = pattern.range(of: "**") else { return nil }
        var head = String(pattern[..<star.lowerBound])
        var tail = String(pattern[star.upperBound...])
        if head.hasSuffix("/") { head.removeLast() }
        if tail.hasPrefix("/") { tail.removeFirst() }
        if tail.isEmpty { tail = "*" }
        let depth = tail.split(separator: "/").count
        let roots = head.isEmpty ? ["."] : glob(head)
        var result: [(path: String, relative: String)] = []
        for root in roots {
            guard let enumerator = FileManager.default.enumerator(atPath: root) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let components = relative.split(separator: "/")
                if components.contains(where: { $0.hasPrefix(".") }) { continue }
                guard components.count >= depth, enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular else { continue }
                let last = components.suffix(depth).joined(separator: "/")
                if fnmatch(tail, last, FNM_PATHNAME) == 0 {
                    result.append((head.isEmpty ? relative : root + "/" + relative, relative))
                }
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    /// Paths matching a shell pattern, sorted (POSIX `glob`).
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
    }

    /// Output stems, unique in the run. The first choice is the relative path without its extension, with
    /// `/` as `__` (`govcn-2019/01.html` → `govcn-2019__01`); inputs that would share a stem keep their
    /// extension (`01-html`), then take their whole path, then a counter — decided over the whole input list,
    /// so the same inputs always get the same names whatever order they finish in.
    static func assignStems(_ relativePaths: [String], paths: [String]) -> [String] {
        let candidates: [(Int) -> String] = [
            { flatten(dropExtension(relativePaths[$0])) },
            { flatten(relativePaths[$0].replacingOccurrences(of: ".", with: "-")) },
            { flatten(paths[$0].replacingOccurrences(of: ".", with: "-")) },
        ]
        var stems = relativePaths.indices.map { candidates[0]($0) }
        var level = Array(repeating: 0, count: stems.count)
        // A JSON Lines file names its documents stem__N, so folder x/ beside x.jsonl must not give x__1.
        let isJSONLines = paths.map { ["jsonl", "ndjson"].contains(($0 as NSString).pathExtension.lowercased()) }
        while true {
            let groups = Dictionary(grouping: stems.indices, by: { stems[$0].lowercased() }).values.filter { $0.count > 1 }
            let linesStems = Set(stems.indices.filter { isJSONLines[$0] }.map { stems[$0].lowercased() })
            let shadowed = stems.indices.filter { index in
                guard !isJSONLines[index], level[index] + 1 < candidates.count,
                      let separator = stems[index].range(of: "__", options: .backwards),
                      !stems[index][separator.upperBound...].isEmpty,
                      stems[index][separator.upperBound...].allSatisfy(\.isASCII) && stems[index][separator.upperBound...].allSatisfy(\.isNumber)
                else { return false }
                return linesStems.contains(stems[index][..<separator.lowerBound].lowercased())
            }
            if groups.isEmpty && shadowed.isEmpty { return stems }
            for index in shadowed {
                level[index] += 1
                stems[index] = candidates[level[index]](index)
            }
            for group in groups {
                for (position, index) in group.sorted().enumerated() {
                    if level[index] + 1 < candidates.count {
                        level[index] += 1
                        stems[index] = candidates[level[index]](index)
                    } else if position > 0 {
                        stems[index] += "_\(position + 1)"
                    }
                }
            }
        }
    }

    private static func dropExtension(_ path: String) -> String {
        let nameStart = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[nameStart...].lastIndex(of: "."), dot > nameStart else { return path }
        return String(path[..<dot])
    }

    /// A path as one file name: separators become `__`, a leading `./` or `../` goes, and nothing can make
    /// the name hidden or climb out of the output folder.
    static func flatten(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }.map { $0 == ".." ? "up" : String($0) }
        var name = parts.joined(separator: "__")
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? "input" : name
    }

    /// The stem of one document of an input: the input's stem, or for a JSON Lines file `stem__N` with N
    /// its line (the source `path#N`).
    static func documentStem(inputStem: String, source: String?, documentCount: Int, index: Int) -> String {
        guard documentCount > 1 || source?.contains("#") == true else { return inputStem }
        if let source, let hash = source.lastIndex(of: "#"), let line = Int(source[source.index(after: hash)...]) {
            return "\(inputStem)__\(line)"
        }
        return "\(inputStem)__\(index + 1)"
    }
}
