import Foundation
import Testing

/// `plankb convert` over real corpus files copied into a temporary folder, with broken inputs beside them.
struct ConvertCommandTests {
    /// A fresh folder for one test.
    static func workFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("plankb-convert-tests-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func corpus(_ path: String) throws -> Data {
        try Data(contentsOf: CLI.repositoryURL.appendingPathComponent("corpus/" + path))
    }

    static func write(_ data: Data, to relative: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Every regular file under `folder` (hidden ones included) with its bytes, by relative path.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            files[String(url.standardizedFileURL.path.dropFirst(root.count + 1))] = try Data(contentsOf: url)
        }
        return files
    }

    static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        try Data(contentsOf: url).split(separator: UInt8(ascii: "\n")).map {
            try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any]
        }
    }

    static func documentJSON(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// Every node id in a document's JSON tree, in document order.
    static func ids(_ node: [String: Any]) -> [String] {
        [node["id"] as! String] + ((node["children"] as? [[String: Any]]) ?? []).flatMap(ids)
    }

    @Test func aFolderOfGoodAndBrokenInputsConvertsEveryGoodDocumentAndNamesEveryBadOne() throws {
        let work = try Self.workFolder("mixed")
        let input = work.appendingPathComponent("in")
        let law = try Self.corpus("laws/law-animal-epidemic-1997-2021-drafts/1997.txt")
        let lawText = String(decoding: law, as: UTF8.self)
        // Two inputs of the same name in different folders must not overwrite each other.
        try Self.write(try Self.corpus("govcn-2019/16.html"), to: "a/01.html", in: input)
        try Self.write(try Self.corpus("govcn-2019/31.html"), to: "b/01.html", in: input)
        try Self.write(law, to: "law/1997.txt", in: input)
        try Self.write(Data(), to: "broken/empty.html", in: input)
        try Self.write(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52] + Array(repeating: 0, count: 64)),
                       to: "broken/image.txt", in: input)
        // Cut inside the three bytes of a Hanzi.
        let cut = law.prefix(law.count / 2).lastIndex(where: { $0 >= 0xE0 })! + 1
        try Self.write(law.prefix(cut), to: "broken/truncated.txt", in: input)
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)
        try Self.write(lawText.data(using: gb18030)!, to: "encodings/gb18030.txt", in: input)
        try Self.write(lawText.data(using: .utf16LittleEndian).map { Data([0xFF, 0xFE]) + $0 }!, to: "encodings/utf16.txt", in: input)
        let out = work.appendingPathComponent("out")

        let result = try CLI.run(["convert", input.path, "--out", out.path, "--no-records", "--jobs", "2"])
        #expect(result.status == 1, "a failed input makes the exit status 1: \(result.stderr)")
        #expect(result.stdout.contains("2 failed"), "\(result.stdout)")

        let errors = try Self.jsonLines(out.appendingPathComponent("errors.jsonl"))
        let failed = Dictionary(uniqueKeysWithValues: errors.map { ($0["path"] as! String, $0["id"] as! String) })
        #expect(failed == [input.path + "/broken/empty.html": "ingest.empty", input.path + "/broken/image.txt": "ingest.binary"])
        let errorSchema = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/convert-error.schema.json"))
        for line in errors { #expect(errorSchema.validate(line).isEmpty, "\(line)") }
        // The summary names the failures too.
        #expect(result.stdout.contains("broken/image.txt: the input is binary"), "\(result.stdout)")

        // Every other input has its outputs, named after its path below the folder.
        for stem in ["a__01", "b__01", "law__1997", "broken__truncated", "encodings__gb18030", "encodings__utf16"] {
            for suffix in [".json", ".md", ".akn.xml"] {
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(stem + suffix).path), "\(stem)\(suffix)")
            }
        }
        let first = try Self.documentJSON(out.appendingPathComponent("a__01.json"))
        let second = try Self.documentJSON(out.appendingPathComponent("b__01.json"))
        #expect((first["metadata"] as! [String: Any])["source"] as? String == input.path + "/a/01.html")
        #expect((second["metadata"] as! [String: Any])["source"] as? String == input.path + "/b/01.html")
        #expect((first["metadata"] as! [String: Any])["title"] as? String != (second["metadata"] as! [String: Any])["title"] as? String)

        // Undeclared GB18030 and UTF-16 give the same tree as the UTF-8 original.
        let original = try Self.documentJSON(out.appendingPathComponent("law__1997.json"))
        let originalIDs = Self.ids(original["root"] as! [String: Any])
        #expect(originalIDs.contains("art_10"))
        for (stem, encoding) in [("encodings__gb18030", "GB18030"), ("encodings__utf16", "UTF-16LE")] {
            let document = try Self.documentJSON(out.appendingPathComponent(stem + ".json"))
            #expect((document["metadata"] as! [String: Any])["encoding"] as? String == encoding)
            #expect(Self.ids(document["root"] as! [String: Any]) == originalIDs, "\(stem)")
        }
        // The truncated file keeps its first half and says what happened at the cut.
        let truncated = try Self.documentJSON(out.appendingPathComponent("broken__truncated.json"))
        let truncatedIDs = Self.ids(truncated["root"] as! [String: Any])
        #expect(truncatedIDs.count > 10 && truncatedIDs.count < originalIDs.count)
        let diagnosticIDs = (truncated["diagnostics"] as! [[String: Any]]).map { $0["id"] as! String }
        #expect(diagnosticIDs.contains("ingest.truncated-character"), "\(diagnosticIDs)")

        // documents.jsonl: one line per converted document, in input order, each a valid document.
        let lines = try Self.jsonLines(out.appendingPathComponent("documents.jsonl"))
        let sources = lines.map { ($0["metadata"] as! [String: Any])["source"] as! String }
        #expect(sources.count == 6)
        #expect(sources == sources.sorted())
        let documentSchema = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/document.schema.json"))
        for line in lines { #expect(documentSchema.validate(line).isEmpty) }
        // With --no-records there are no records files.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("records.csv").path))

        // The law is an Akoma Ntoso act, the notice a doc; both well-formed.
        let act = try String(contentsOf: out.appendingPathComponent("law__1997.akn.xml"), encoding: .utf8)
        #expect(act.contains("<act name=\"act\">") && act.contains("<article eId=\"art_10\">"))
        let doc = try String(contentsOf: out.appendingPathComponent("a__01.akn.xml"), encoding: .utf8)
        #expect(doc.contains("<doc name="))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            check.arguments = ["--noout"] + (try FileManager.default.contentsOfDirectory(atPath: out.path))
                .filter { $0.hasSuffix(".akn.xml") }.map { out.appendingPathComponent($0).path }
            try check.run()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0)
        }
        try? FileManager.default.removeItem(at: work)
    }

    /// Small real documents, records included, for the determinism and resume tests.
    static func smallCorpus(in folder: URL) throws {
        for name in ["16", "29", "31", "40", "43"] {
            try write(try corpus("govcn-2019/\(name).html"), to: "govcn/\(name).html", in: folder)
        }
        try write(try corpus("laws/law-animal-epidemic-1997-2021-drafts/1997.txt"), to: "laws/1997.txt", in: folder)
        // The start of a PNG image: binary, so it fails.
        try write(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52] + Array(repeating: 0, count: 64)),
                  to: "bad.txt", in: folder)
    }

    @Test func oneJobAndTwoJobsWriteByteIdenticalOutputs() throws {
        let work = try Self.workFolder("jobs")
        let input = work.appendingPathComponent("in")
        try Self.smallCorpus(in: input)
        let one = try CLI.run(["convert", input.path, "--out", work.appendingPathComponent("one").path, "--jobs", "1"])
        let two = try CLI.run(["convert", input.path, "--out", work.appendingPathComponent("two").path, "--jobs", "2"])
        #expect(one.status == 1 && two.status == 1, "bad.txt fails: \(one.stderr)")
        let first = try Self.snapshot(work.appendingPathComponent("one"))
        let second = try Self.snapshot(work.appendingPathComponent("two"))
        #expect(first.keys.sorted() == second.keys.sorted())
        for (name, data) in first { #expect(second[name] == data, "\(name) differs between --jobs 1 and --jobs 2") }
        // records.csv is UTF-8 with a BOM and holds records of every converted input.
        let csv = try #require(first["records.csv"])
        #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]))
        let csvText = String(decoding: csv, as: UTF8.self)
        #expect(csvText.contains("laws/1997.txt") && csvText.contains("govcn/16.html"))
        let recordSchema = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/record.schema.json"))
        let records = try Self.jsonLines(work.appendingPathComponent("one/records.jsonl"))
        #expect(!records.isEmpty)
        for record in records.prefix(50) { #expect(recordSchema.validate(record).isEmpty, "\(record)") }
        // The manifest: one valid entry per converted input, in input order.
        let manifestSchema = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/convert-manifest.schema.json"))
        let entries = try Self.jsonLines(work.appendingPathComponent("one/.plankb-manifest.jsonl"))
        #expect(entries.count == 6)
        #expect(entries.map { $0["path"] as! String } == entries.map { $0["path"] as! String }.sorted())
        for entry in entries { #expect(manifestSchema.validate(entry).isEmpty, "\(entry)") }
        // Non-terminal progress: one line per file on standard error.
        #expect(one.stderr.split(separator: "\n").filter { $0.hasPrefix("[") }.count == 7, "\(one.stderr)")
        try? FileManager.default.removeItem(at: work)
    }

    @Test func aKilledRunFinishesOnTheNextRunWithTheSameOutputs() throws {
        let work = try Self.workFolder("resume")
        let input = work.appendingPathComponent("in")
        try Self.smallCorpus(in: input)
        for name in ["1997", "2007"] {
            try Self.write(try Self.corpus("laws/law-animal-epidemic-1997-2021-drafts/\(name).txt"), to: "more/\(name).txt", in: input)
        }
        let whole = work.appendingPathComponent("whole")
        _ = try CLI.run(["convert", input.path, "--out", whole.path, "--jobs", "1", "--quiet"])
        let expected = try Self.snapshot(whole)

        // Start a run and kill it (SIGKILL: no chance to clean up) once a few documents are written.
        let killed = work.appendingPathComponent("killed")
        let process = Process()
        process.executableURL = CLI.binaryURL
        process.arguments = ["convert", input.path, "--out", killed.path, "--jobs", "1", "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline {
            let written = (try? FileManager.default.contentsOfDirectory(atPath: killed.path))?.filter { $0.hasSuffix(".json") } ?? []
            if written.count >= 3 { break }
            usleep(2_000)
        }
        let killedMidway = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Nine inputs with records take seconds in a debug build: the kill lands midway.
        #expect(killedMidway, "the run finished before it could be killed")
        if killedMidway {
            #expect(!FileManager.default.fileExists(atPath: killed.appendingPathComponent("documents.jsonl").path),
                    "per-run files are written only at the end")
        }
        let resumed = try CLI.run(["convert", input.path, "--out", killed.path, "--jobs", "2"])
        #expect(resumed.status == 1)
        if killedMidway { #expect(resumed.stderr.contains("up to date"), "\(resumed.stderr)") }
        let after = try Self.snapshot(killed)
        #expect(after.keys.sorted() == expected.keys.sorted())
        for (name, data) in expected { #expect(after[name] == data, "\(name) differs after the resumed run") }

        // A simulated interruption at a known point: outputs of two inputs gone, the manifest cut mid-line.
        try FileManager.default.removeItem(at: killed.appendingPathComponent("govcn__29.json"))
        try FileManager.default.removeItem(at: killed.appendingPathComponent("more__2007.akn.xml"))
        let manifestURL = killed.appendingPathComponent(".plankb-manifest.jsonl")
        let manifest = try Data(contentsOf: manifestURL)
        try manifest.prefix(manifest.count * 2 / 3).write(to: manifestURL)
        let third = try CLI.run(["convert", input.path, "--out", killed.path])
        #expect(third.stdout.contains("up to date"), "\(third.stdout)")
        let final = try Self.snapshot(killed)
        for (name, data) in expected { #expect(final[name] == data, "\(name) differs after the second resumed run") }

        // Nothing changed: everything is up to date; --force converts all again.
        let fourth = try CLI.run(["convert", input.path, "--out", killed.path])
        #expect(fourth.stdout.contains("0 converted, 8 up to date, 1 failed"), "\(fourth.stdout)")
        // A changed input is converted again.
        try Self.write(try Self.corpus("govcn-2019/13.html"), to: "govcn/16.html", in: input)
        let fifth = try CLI.run(["convert", input.path, "--out", killed.path])
        #expect(fifth.stdout.contains("1 converted, 7 up to date"), "\(fifth.stdout)")
        try? FileManager.default.removeItem(at: work)
    }

    @Test func excludedFoldersAreNotInputs() throws {
        let work = try Self.workFolder("exclude")
        let input = work.appendingPathComponent("in")
        try Self.write(try Self.corpus("govcn-2019/16.html"), to: "govcn/16.html", in: input)
        // An answer key beside the documents, as corpus/gold is: JSON Lines, but not documents.
        try Self.write(try Self.corpus("gold/govcn-2019-02.jsonl"), to: "gold/govcn-2019-02.jsonl", in: input)
        let out = work.appendingPathComponent("out")
        let all = try CLI.run(["convert", input.path, "--out", work.appendingPathComponent("all").path, "--to", "json", "--no-records"])
        #expect(all.status == 1, "the answer key is read as a document and fails")
        let result = try CLI.run(["convert", input.path, "--out", out.path, "--to", "json", "--no-records", "--exclude", "gold"])
        #expect(result.status == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".json") }
        #expect(names == ["govcn__16.json"])
    }

    @Test func pathsComeFromStandardInputAndFromPatterns() throws {
        let work = try Self.workFolder("stdin")
        let input = work.appendingPathComponent("in")
        try Self.write(try Self.corpus("govcn-2019/16.html"), to: "x/16.html", in: input)
        try Self.write(try Self.corpus("govcn-2019/31.html"), to: "y/16.html", in: input)
        try Self.write(try Self.corpus("govcn-2019/40.html"), to: "y/40.html", in: input)
        let listed = input.appendingPathComponent("x/16.html").path + "\n" + input.appendingPathComponent("y/16.html").path + "\n"
        let fromList = try CLI.run(["convert", "-", "--out", work.appendingPathComponent("list").path, "--to", "json", "--no-records"],
                                   input: Data(listed.utf8))
        #expect(fromList.status == 0, "\(fromList.stderr)")
        // Two files named 16.html given by path: the clash is resolved with their folders.
        let names = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("list").path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 2 && Set(names).count == 2, "\(names)")
        #expect(names.allSatisfy { $0.contains("16") })

        let pattern = input.path + "/y/*.html"
        let fromPattern = try CLI.run(["convert", pattern, "--out", work.appendingPathComponent("glob").path, "--to", "json,akn", "--no-records"])
        #expect(fromPattern.status == 0, "\(fromPattern.stderr)")
        let globbed = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("glob").path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(globbed == ["16.akn.xml", "16.json", "40.akn.xml", "40.json", "errors.jsonl"])

        // The documents of r.jsonl are r__1, r__2…; r/1.html beside it must take another name.
        try Self.write(try Self.corpus("reports/government-work-reports-2021-2025.jsonl"), to: "shadow/r.jsonl", in: input)
        try Self.write(try Self.corpus("govcn-2019/16.html"), to: "shadow/r/1.html", in: input)
        let shadow = work.appendingPathComponent("shadow")
        let shadowed = try CLI.run(["convert", input.path + "/shadow", "--out", shadow.path, "--to", "json", "--no-records"])
        #expect(shadowed.status == 0, "\(shadowed.stderr)")
        let shadowNames = try FileManager.default.contentsOfDirectory(atPath: shadow.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(shadowNames == ["r__1-html.json", "r__1.json", "r__2.json", "r__3.json"])
        let report = try Self.documentJSON(shadow.appendingPathComponent("r__1.json"))
        #expect(((report["metadata"] as! [String: Any])["source"] as! String).hasSuffix("r.jsonl#1"))

        // ** reaches every depth, and names outputs by the path below the folder before it.
        let deep = work.appendingPathComponent("deep")
        let recursive = try CLI.run(["convert", input.path + "/**/16.html", "--out", deep.path, "--to", "json", "--no-records"])
        #expect(recursive.status == 0, "\(recursive.stderr)")
        let deepNames = try FileManager.default.contentsOfDirectory(atPath: deep.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(deepNames == ["x__16.json", "y__16.json"])

        let nothing = try CLI.run(["convert", input.path + "/nowhere/*.html", "--out", work.appendingPathComponent("none").path])
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("no such file"))
        try? FileManager.default.removeItem(at: work)
    }
}
