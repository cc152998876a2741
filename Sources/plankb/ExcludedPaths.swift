import ArgumentParser
import Foundation
import PlanIngest

/// `--exclude`, as `index` and `convert` take it.
struct ExcludeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Leave out files and folders matching this shell pattern (a name like gold, or a path); repeatable.", valueName: "pattern"))
    var exclude: [String] = []

    var excludedPaths: ExcludedPaths { ExcludedPaths(patterns: exclude) }
}
