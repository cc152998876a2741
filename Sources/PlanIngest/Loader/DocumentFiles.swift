import Foundation

/// The one folder walk: which files under the paths a user names are documents. `index`, `convert`, the
/// benchmarks and the web upload all take their inputs from here.
///
/// A folder is searched recursively for the file extensions the registered readers take
/// (`DocumentReaders.fileExtensions`), skipping hidden files and folders, golden files (`*.expected/`),
/// sidecars (`*.meta.json`, `*.reference.txt`), a collection's own notes (README, SOURCES, LICENSE, CHANGELOG)
/// and whatever `excluded` matches. A file named directly is always taken (unless excluded).
public enum DocumentFiles {
    /// File names (without extension, any case) that describe a collection rather than belong to it.
    public static let collectionNotes: Set<String> = ["readme", "sources", "license", "licence", "changelog", "notice"]

    /// Whether a file found in a folder walk is a document.
    public static func isDocument(fileName name: String) -> Bool {
        guard !name.hasPrefix(".") else { return false }
        let lowered = name.lowercased()
        if lowered.hasSuffix(".meta.json") || lowered.hasSuffix(".reference.txt") { return false }
        let ext = (lowered as NSString).pathExtension
        guard DocumentReaders.fileExtensions.contains(ext) else { return false }
        return !collectionNotes.contains((lowered as NSString).deletingPathExtension)
    }

    /// The document files under `paths`, each as the user's path joined with its part below it
    /// (`corpus` → `corpus/laws/x.md`), sorted and without repeats; paths that do not exist are in `missing`.
    public static func find(under paths: [String], excluding excluded: ExcludedPaths = ExcludedPaths(patterns: []))
        -> (files: [Found], missing: [String]) {
        var files: [Found] = []
        var missing: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            guard isDirectory.boolValue else {
                if !excluded.contains(path) { files.append(Found(path: path, relativePath: (path as NSString).lastPathComponent)) }
                continue
            }
            let root = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            let rootURL = URL(fileURLWithPath: root)
            let rootPath = rootURL.standardizedFileURL.path
            guard let walker = manager.enumerator(at: rootURL, includingPropertiesForKeys: [.isDirectoryKey],
                                                  options: [.skipsHiddenFiles]) else { continue }
            var inFolder: [Found] = []
            for case let url as URL in walker {
                let name = url.lastPathComponent
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                    if name.hasSuffix(".expected") || excluded.contains(name) { walker.skipDescendants() }
                    continue
                }
                guard isDocument(fileName: name) else { continue }
                let full = url.standardizedFileURL.path
                let relative = full.hasPrefix(rootPath + "/") ? String(full.dropFirst(rootPath.count + 1)) : name
                let joined = root + "/" + relative
                if !excluded.contains(joined) { inFolder.append(Found(path: joined, relativePath: relative)) }
            }
            files += inFolder.sorted { $0.path < $1.path }
        }
        var seen: Set<String> = []
        files = files.filter { seen.insert(URL(fileURLWithPath: $0.path).standardizedFileURL.path).inserted }
        return (files, missing)
    }

    /// A document file found by the walk.
    public struct Found: Hashable, Sendable {
        /// The path as found (relative when the user gave a relative path).
        public var path: String
        /// The path below the folder it was found under, or the file name for a file named directly.
        public var relativePath: String
    }
}

/// Shell patterns (fnmatch) for files and folders a run leaves out, as `index` and `convert` take them with
/// `--exclude`: a pattern matches a whole path or any one step of it, so `gold` leaves out `corpus/gold/…`,
/// `*.draft.txt` any such file, and `corpus/laws/*` the files of that folder.
public struct ExcludedPaths: Sendable {
    public var patterns: [String]
    public init(patterns: [String]) { self.patterns = patterns }

    public func contains(_ path: String) -> Bool {
        patterns.contains { pattern in
            fnmatch(pattern, path, 0) == 0 || path.split(separator: "/").contains { fnmatch(pattern, String($0), 0) == 0 }
        }
    }
}
