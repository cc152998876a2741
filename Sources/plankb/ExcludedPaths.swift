import ArgumentParser
import Foundation

/// `--exclude`, as `index` and `convert` take it.
struct ExcludeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Leave out files and folders matching this shell pattern (a name like gold, or a path); repeatable.", valueName: "pattern"))
    var exclude: [String] = []

    var excludedPaths: ExcludedPaths { ExcludedPaths(patterns: exclude) }
}

/// Shell patterns (fnmatch) for files and folders a run leaves out, as `index` and `convert` take them with
/// `--exclude`: a pattern matches a whole path or any one step of it, so `gold` leaves out `corpus/gold/…`,
/// `*.draft.txt` any such file, and `corpus/laws/*` the files of that folder.
struct ExcludedPaths {
    var patterns: [String]

    func contains(_ path: String) -> Bool {
        patterns.contains { pattern in
            fnmatch(pattern, path, 0) == 0 || path.split(separator: "/").contains { fnmatch(pattern, String($0), 0) == 0 }
        }
    }
}
