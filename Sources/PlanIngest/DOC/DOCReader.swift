import Foundation
import PlanKit

extension InputFormat {
    public static let doc = InputFormat(rawValue: "doc")
    public static let wps = InputFormat(rawValue: "wps")
}

/// Word 97–2003 (`.doc`) and WPS Office (`.wps`) files — OLE2 compound files — converted to DOCX by
/// LibreOffice (`soffice --headless --convert-to docx`, found at run time) and then read by `DOCXReader`,
/// so that Word's automatic numbering survives (antiword and catdoc lose it).
///
/// Each conversion gets its own LibreOffice profile in a private temporary folder, so that parallel
/// `convert` jobs never share (and lock) one, and runs under coreutils' `timeout -k 5`, which kills
/// soffice's child processes too when it overruns `ReaderOptions.converterTimeout`.
///
/// An OLE2 file holding `EncryptedPackage` is a password-protected DOCX (Office encrypts DOCX that way):
/// it is refused with `ingest.docx-encrypted`, as is an encrypted Word binary document.
public enum DOCReader: DocumentReader {
    public static let format = InputFormat.doc
    public static let fileExtensions = ["doc", "wps", "dot"]
    public static let summary = "Word 97–2003 DOC and WPS (converted by LibreOffice's soffice, then read as DOCX)"

    static let soffice = ExternalTool(name: "soffice", package: "libreoffice-writer-nogui", purpose: "reading DOC and WPS files")
    static let timeout = ExternalTool(name: "timeout", package: "coreutils", purpose: "limiting how long LibreOffice may run")

    public static func recognize(_ sample: InputSample) -> Recognition {
        sample.starts(with: OLE2Directory.magic) ? .content : .no
    }

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        let format: InputFormat = input.pathExtension.lowercased() == "wps" ? .wps : .doc
        guard let directory = OLE2Directory(input.data) else {
            throw IngestError.malformed(id: "ingest.ole-damaged",
                                        detail: "\(input.source): starts as an OLE2 (Office 97–2003) file, but its directory cannot be read (truncated or damaged)")
        }
        if directory.contains("EncryptedPackage") || directory.contains("EncryptionInfo") {
            throw IngestError.malformed(id: "ingest.docx-encrypted",
                                        detail: "\(input.source): a password-protected (encrypted) Office document; save it without a password to read it")
        }
        guard directory.contains("WordDocument") else {
            let names = directory.entries.filter { $0.type == 2 }.prefix(6).map(\.name).joined(separator: ", ")
            throw IngestError.malformed(id: "ingest.ole-unknown",
                                        detail: "\(input.source): an OLE2 (Office 97–2003) file, but not a Word document (no WordDocument stream; streams: \(names))")
        }
        if directory.wordDocumentIsEncrypted {
            throw IngestError.malformed(id: "ingest.doc-encrypted",
                                        detail: "\(input.source): a password-protected (encrypted) Word document; save it without a password to read it")
        }
        let converted = try convert(input)
        var documents = try DOCXReader.read(ReaderInput(data: converted, source: input.source,
                                                        pathExtension: "docx", options: input.options))
        for index in documents.indices {
            documents[index].metadata.format = format.rawValue
            documents[index].diagnostics.insert(
                Diagnostic(.note, "ingest.converted",
                           "converted from \(format.rawValue.uppercased()) to DOCX by LibreOffice; lines are paragraphs of the converted document"),
                at: 0)
        }
        return documents
    }

    /// The DOCX LibreOffice makes of the input.
    static func convert(_ input: ReaderInput) throws -> Data {
        guard let sofficePath = soffice.path else {
            throw IngestError.missingTool(tool: soffice.name, package: soffice.package, purpose: soffice.purpose)
        }
        let folder = try TemporaryFolder(prefix: "plankb-doc")
        // Always named .doc: WPS files are Word binary documents, and LibreOffice would take a .wps for
        // Microsoft Works.
        let file = folder.url.appendingPathComponent("input.doc")
        let output = folder.url.appendingPathComponent("out")
        let profile = folder.url.appendingPathComponent("profile")
        do {
            try input.data.write(to: file)
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw IngestError.unreadable("\(input.source): cannot write a temporary copy for LibreOffice: \(error)")
        }
        let limit = max(1, Int(input.options.converterTimeout.rounded(.up)))
        let arguments = ["-env:UserInstallation=\(profile.absoluteString)", "--headless", "--invisible", "--nologo",
                         "--norestore", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
                         "--outdir", output.path, file.path]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder.url.path
        let result: ExternalTool.Output
        if timeout.path != nil {
            result = try timeout.run(["-k", "5", String(limit), sofficePath] + arguments, timeout: Double(limit) + 15,
                     source: input.source, environment: environment, currentDirectory: folder.url)
        } else {
            result = try soffice.run(arguments, timeout: Double(limit), source: input.source, environment: environment,
                     currentDirectory: folder.url)
        }
        if result.status == 124 || result.status == 137 {
            throw IngestError.malformed(id: "ingest.converter-timeout",
                                        detail: "\(input.source): soffice did not finish within \(limit) s; stopped")
        }
        let converted = output.appendingPathComponent("input.docx")
        guard let data = try? Data(contentsOf: converted), !data.isEmpty else {
            let reason = result.standardError.split(separator: "\n").filter { !$0.contains("javaldx") }.last
                .map(String.init) ?? "exit status \(result.status)"
            throw IngestError.malformed(id: "ingest.doc-conversion",
                                        detail: "\(input.source): LibreOffice could not convert the file to DOCX (\(reason))")
        }
        return data
    }
}
