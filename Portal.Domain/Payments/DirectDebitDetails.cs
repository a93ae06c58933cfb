namespace Portal.Domain.Payments;

/// <summary>A SEPA direct-debit account as the portal may keep it: the IBAN only masked.</summary>
public sealed class DirectDebitDetails
{
    private DirectDebitDetails() { }

    /// <param name="iban">Full or masked IBAN; re-masked to country + check digits and last four.</param>
    public static DirectDebitDetails Create(string iban, string? accountId = null, string? bic = null) => new()
    {
        MaskedIban = SensitiveData.MaskIban(iban),
        AccountId = Text.Optional(accountId, 100, "bank account id"),
        Bic = Text.Optional(bic, 11, "BIC"),
    };

    public string? AccountId { get; private set; }

    public string? Bic { get; private set; }

    public string MaskedIban { get; private set; } = "";

    /// <summary>EF tracks an owned value per owner: each owner gets its own copy.</summary>
    internal DirectDebitDetails Copy() => (DirectDebitDetails)MemberwiseClone();
}
