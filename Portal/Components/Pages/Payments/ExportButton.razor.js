// Starts a file download without leaving the page. The "download" attribute keeps Blazor's
// router from treating the link as an in-app navigation (it would match /payments/{id}).
export function download(url) {
    const a = document.createElement("a");
    a.href = url;
    a.download = "";
    a.rel = "noopener";
    document.body.appendChild(a);
    a.click();
    a.remove();
}
