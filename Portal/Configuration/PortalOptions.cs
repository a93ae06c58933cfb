using System.ComponentModel.DataAnnotations;

namespace Portal.Configuration;

/// <summary>Settings under <c>Portal</c>: where data lives and the first admin account.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Folder for the SQLite file, Data Protection keys and exports (relative paths are resolved against the content root).</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    public AdminAccountOptions Admin { get; set; } = new();

    /// <summary>How the Data Protection keys (which encrypt stored card tokens) are protected at rest.</summary>
    public KeyProtectionOptions DataProtection { get; set; } = new();

    /// <summary>Seed demo payments on first start (on by default in Development).</summary>
    public bool SeedDemoData { get; set; }
}

public sealed class AdminAccountOptions
{
    /// <summary>Email (and user name) of the first admin, created on first start if no admin exists.</summary>
    public string? Email { get; set; }

    /// <summary>Password of the first admin. Outside Development a missing or weak value stops start-up.</summary>
    public string? Password { get; set; }
}

public sealed class KeyProtectionOptions
{
    /// <summary>PFX file whose certificate encrypts the key ring at rest (relative paths against the content root); empty = keys unencrypted.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PFX file, if it has one. A secret: set it by environment or a secret store, never in the repo.</summary>
    public string? CertificatePassword { get; set; }
}
