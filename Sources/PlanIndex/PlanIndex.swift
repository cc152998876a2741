import PlanKit

/// The knowledge base (being written).
public enum PlanIndexVersion {
    public static let schemaVersion = 1
}
