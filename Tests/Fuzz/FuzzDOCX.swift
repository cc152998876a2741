// libFuzzer entry for DOCX: the input is word/document.xml (numbering.xml and styles.xml fixed) of a minimal
// package, read through `DocumentLoader` — whatever DOCX reader is registered. Built by `.ci/fuzz docx`.
import Foundation
import PlanIngest
import ZIPFoundation

private let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
private let fixedParts: [(String, Data)] = [
    ("[Content_Types].xml", Data("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".utf8)),
    ("word/styles.xml", Data("<w:styles xmlns:w=\"\(w)\"><w:style w:type=\"paragraph\" w:styleId=\"1\"><w:name w:val=\"heading 1\"/><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:style></w:styles>".utf8)),
    ("word/numbering.xml", Data("<w:numbering xmlns:w=\"\(w)\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"第%1章\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"（%2）\"/><w:lvlRestart w:val=\"0\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num><w:num w:numId=\"2\"><w:abstractNumId w:val=\"9\"/></w:num></w:numbering>".utf8)),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDOCX(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let document = Data(bytes: bytes, count: count)
    guard let archive = try? Archive(data: Data(), accessMode: .create) else { return 0 }
    for (name, data) in fixedParts + [("word/document.xml", document)] {
        try? archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
            data.subdata(in: Int(position)..<(Int(position) + size))
        }
    }
    guard let package = archive.data else { return 0 }
    _ = try? DocumentLoader.load(data: package, source: "fuzz.docx", pathExtension: "docx", stages: .treeOnly)
    return 0
}
