using MudBlazor;
using MudBlazor.Utilities;
using Portal.Domain.Payments;

namespace Portal.Components.Layout;

/// <summary>
/// The portal's one theme (light and dark palettes, type, shape). Every page takes its colours from
/// here through MudBlazor's CSS variables (<c>--mud-palette-*</c>); portal.css only adds layout.
/// </summary>
public static class PortalTheme
{
    public const string CookieName = "portal.theme";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4fd1",
            PrimaryDarken = "#173da6",
            PrimaryLighten = "#4b72e0",
            Secondary = "#0f766e",
            Tertiary = "#7c3aed",
            Info = "#0369a1",
            Success = "#15803d",
            Warning = "#b45309",
            Error = "#c62828",
            AppbarBackground = "#ffffff",
            AppbarText = "#1e293b",
            Background = "#f5f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#334155",
            DrawerIcon = "#64748b",
            TextPrimary = "#0f172a",
            TextSecondary = "#64748b",
            LinesDefault = "#e2e8f0",
            TableLines = "#e8edf3",
            TableHover = "#f1f5fd",
            Divider = "#e2e8f0",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7b9cff",
            PrimaryDarken = "#5a7fe8",
            PrimaryLighten = "#a3bbff",
            Secondary = "#2dd4bf",
            Tertiary = "#a78bfa",
            Info = "#38bdf8",
            Success = "#4ade80",
            Warning = "#fbbf24",
            Error = "#f87171",
            AppbarBackground = "#151b2b",
            AppbarText = "#e2e8f0",
            Background = "#0f1420",
            Surface = "#171e2e",
            DrawerBackground = "#151b2b",
            DrawerText = "#cbd5e1",
            DrawerIcon = "#94a3b8",
            TextPrimary = "#e2e8f0",
            TextSecondary = "#94a3b8",
            LinesDefault = "#2a3347",
            TableLines = "#252e41",
            TableHover = "#1d2638",
            Divider = "#2a3347",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "Segoe UI", "Helvetica", "Arial", "sans-serif"] },
            Button = new ButtonTypography { TextTransform = "none", FontWeight = "500" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "8px",
            DrawerWidthLeft = "236px",
            AppbarHeight = "60px",
        },
    };

    /// <summary>
    /// The colour of a payment status, as a CSS value that follows the light/dark palette
    /// (for dots, chips and borders rendered as HTML).
    /// </summary>
    public static string StatusCssColor(PaymentStatus status) => "var(--mud-palette-" + StatusPaletteName(status) + ")";

    /// <summary>
    /// The same colour as a literal from the palette in use, for SVG charts whose series colours are
    /// attributes (CSS variables are not resolved there).
    /// </summary>
    public static string StatusColor(PaymentStatus status, bool dark)
    {
        Palette palette = dark ? Theme.PaletteDark : Theme.PaletteLight;
        MudColor color = StatusPaletteName(status) switch
        {
            "success" => palette.Success,
            "info" => palette.Info,
            "warning" => palette.Warning,
            "tertiary" => palette.Tertiary,
            "error" => palette.Error,
            "gray-dark" => palette.GrayDark,
            _ => palette.GrayDefault,
        };
        return color.ToString(MudColorOutputFormats.Hex);
    }

    private static string StatusPaletteName(PaymentStatus status) => status switch
    {
        PaymentStatus.Confirmed => "success",
        PaymentStatus.Paid => "info",
        PaymentStatus.Requested => "warning",
        PaymentStatus.Refunded => "tertiary",
        PaymentStatus.Expired => "gray-dark",
        PaymentStatus.Voided => "error",
        _ => "gray-default",
    };

    /// <summary>Reads the theme cookie; "material-dark" is what the portal wrote before the MudBlazor move.</summary>
    public static bool IsDark(string? cookie) => cookie is "dark" or "material-dark";
}
