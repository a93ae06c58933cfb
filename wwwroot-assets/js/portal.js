// Small helpers called from Blazor through IJSRuntime.
window.portal = {
    setTheme: function (name, value) {
        document.cookie = name + "=" + value + "; path=/; max-age=31536000; samesite=lax";
    },
    timeZone: function () { return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; },
    copyText: async function (text) {
        try { await navigator.clipboard.writeText(text); return true; } catch { return false; }
    },
    openInNewTab: function (url) { window.open(url, "_blank", "noopener"); },
    downloadFromUrl: function (url) {
        const a = document.createElement("a");
        a.href = url; a.rel = "noopener"; document.body.appendChild(a); a.click(); a.remove();
    }
};
