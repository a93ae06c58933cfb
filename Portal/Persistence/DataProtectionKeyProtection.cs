using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Portal.Configuration;

namespace Portal.Persistence;

/// <summary>
/// Encrypts the Data Protection key ring at rest with an X.509 certificate (a PFX file named by
/// <c>Portal:DataProtection:CertificatePath</c>). The keys encrypt the stored card tokens, so
/// whoever reads the data folder must not be able to read them too. Without a certificate the
/// keys are written as the framework writes them (it logs a warning), which is what Development uses.
/// </summary>
public static class DataProtectionKeyProtection
{
    public const string PathSetting = $"{PortalOptions.Section}:{nameof(PortalOptions.DataProtection)}:{nameof(KeyProtectionOptions.CertificatePath)}";
    public const string PasswordSetting = $"{PortalOptions.Section}:{nameof(PortalOptions.DataProtection)}:{nameof(KeyProtectionOptions.CertificatePassword)}";

    /// <summary>Protects the key ring with the configured certificate; leaves the builder alone when none is configured.</summary>
    /// <exception cref="StartupConfigurationException">The file is missing, unreadable, the password is wrong, or the certificate has no private key.</exception>
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder, KeyProtectionOptions options,
        string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath)) return builder;
        var certificate = Load(options, contentRoot);
        return builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    internal static X509Certificate2 Load(KeyProtectionOptions options, string contentRoot)
    {
        var path = Path.GetFullPath(Path.IsPathRooted(options.CertificatePath!) ? options.CertificatePath! : Path.Combine(contentRoot, options.CertificatePath!));
        if (!File.Exists(path))
            throw new StartupConfigurationException($"{PathSetting}: no certificate file at '{path}'.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new StartupConfigurationException(
                $"{PathSetting}: '{path}' could not be opened as a PFX file with the password in {PasswordSetting} ({e.Message.TrimEnd('.')}).");
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new StartupConfigurationException($"{PathSetting}: the certificate in '{path}' has no private key, so the keys could not be read back.");
        }
        return certificate;
    }
}
