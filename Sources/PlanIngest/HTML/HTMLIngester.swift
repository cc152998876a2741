import CLibXML2
import Foundation
import PlanKit

/// HTML → body blocks + metadata, through libxml2. (Being written: this is the interface.)
public enum HTMLIngester {
    public static func ingest(_ data: Data, source: String?) throws(IngestError) -> IngestedText {
        throw .undecodable("HTML ingest is not written yet")
    }
}
