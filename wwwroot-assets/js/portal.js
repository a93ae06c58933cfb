// Small helpers called from Blazor through IJSRuntime.
window.portal = {
    setTheme: function (name, value) {
        document.cookie = name + "=" + value + "; path=/; max-age=31536000; samesite=lax" + (location.protocol === "https:" ? "; secure" : "");
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

// The reconnect dialog's links (javascript: URLs are refused by the Content-Security-Policy).
document.addEventListener("click", function (e) {
    const link = e.target instanceof Element ? e.target.closest("[data-portal-action]") : null;
    if (!link) return;
    e.preventDefault();
    if (link.getAttribute("data-portal-action") === "reconnect" && window.Blazor) window.Blazor.reconnect();
    else location.reload();
}, true);
