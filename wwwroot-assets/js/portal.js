// Small helpers called from Blazor through IJSRuntime.
window.portal = {
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
