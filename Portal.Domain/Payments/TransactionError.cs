namespace Portal.Domain.Payments;

/// <summary>Why an attempt failed: the spec's error code plus the gateway's own message and code.</summary>
public sealed class TransactionError
{
    private TransactionError() { }

    public static TransactionError Create(TransactionErrorCode code, string? externalMessage = null, string? externalCode = null) => new()
    {
        Code = code,
        ExternalMessage = Truncate(externalMessage, 1000),
        ExternalCode = Text.Optional(externalCode, 100, "gateway error code"),
    };

    public TransactionErrorCode Code { get; private set; }

    public string? ExternalMessage { get; private set; }

    public string? ExternalCode { get; private set; }

    // A gateway's message is evidence, not input to validate: keep what fits rather than refuse the report.
    private static string? Truncate(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Length <= max ? value : value[..max];

    /// <summary>EF tracks an owned value per owner: each owner gets its own copy.</summary>
    internal TransactionError Copy() => (TransactionError)MemberwiseClone();
}
