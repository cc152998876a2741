import Foundation

/// The SQLite backend: a file path, the default for any `--db` value no other backend takes.
public enum SQLiteBackend: KnowledgeBaseBackend {
    public static let name = "SQLite"

    public static func handles(_ location: String) -> Bool { true }

    public static func displayName(of location: String) -> String { location }

    public static func open(_ location: String, for access: KnowledgeBaseAccess, indexing: IdeographIndexing) throws -> any KnowledgeBase {
        // A URL no backend took is a typo or an unknown scheme, not a file name to create.
        if let scheme = location.range(of: "://").map({ location[..<$0.lowerBound] }), !scheme.contains("/") {
            throw KnowledgeBaseOpenError("no backend takes \(scheme):// locations; give a file or a postgres:// URL")
        }
        switch access {
        case .reading, .serving:
            guard FileManager.default.fileExists(atPath: location) else {
                throw KnowledgeBaseOpenError("no knowledge base at \(location); create one with: plankb index PATH --db \(location)")
            }
            // Read-only connections (one for a command, a pool for a server), unless the file needs upgrading
            // first (once), or the folder does not let SQLite create the WAL's companion files a read-only
            // connection needs.
            do {
                return try SQLiteKnowledgeBase(path: location, readOnly: true, pooled: access == .serving)
            } catch let error as StaleTokenizerError {
                throw error
            } catch {
                return try SQLiteKnowledgeBase(path: location)
            }
        case .writing:
            return try SQLiteKnowledgeBase(path: location, creatingWith: indexing)
        case .rebuilding:
            let target = location + ".rebuild"
            try SQLiteFile.remove(target)
            let knowledgeBase = try SQLiteKnowledgeBase(path: target, creatingWith: indexing)
            knowledgeBase.replacesOnFinish = location
            return knowledgeBase
        }
    }
}

/// The knowledge base file with its WAL companions (`-wal`, `-shm`).
public enum SQLiteFile {
    public static func remove(_ path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// Bytes of the file and its WAL.
    public static func size(_ path: String) -> Int {
        ["", "-wal"].reduce(0) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
        }
    }

    /// Moves a finished, closed knowledge base over `path`. The stale WAL of the old file goes first: SQLite
    /// would otherwise replay it onto the new file.
    static func replace(_ path: String, with finished: String) throws {
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        guard rename(finished, path) == 0 else {
            throw KnowledgeBaseOpenError("could not move \(finished) to \(path): \(String(cString: strerror(errno)))")
        }
        // The finished file was checkpointed before closing: its (empty) WAL companions are left-overs.
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: finished + suffix) {
            try FileManager.default.removeItem(atPath: finished + suffix)
        }
    }
}
