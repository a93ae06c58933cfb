// The session timeout's browser side: a person working on a live page (clicks, keys) makes no HTTP
// request, so their activity is sent as a keep-alive ping at most once a minute; the server
// renews the session cookie on that ping. The countdown itself runs on the server.
let lastPing = Date.now();
let path = "/Account/KeepAlive";

export async function keepAlive(keepAlivePath) {
    path = keepAlivePath || path;
    lastPing = Date.now();
    const response = await fetch(path, { method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" } });
    if (!response.ok) return 0;
    const body = await response.json();
    return body.remainingSeconds || 0;
}

export function trackActivity(keepAlivePath) {
    path = keepAlivePath || path;
    const onActivity = () => {
        if (Date.now() - lastPing >= 60000) keepAlive(path).catch(() => { });
    };
    for (const name of ["pointerdown", "keydown", "wheel"]) {
        window.addEventListener(name, onActivity, { passive: true, capture: true });
    }
}
