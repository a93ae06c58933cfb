using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Webhooks;

/// <summary>
/// Caps the masked payload kept on a webhook delivery (setting <c>Webhooks:MaxStoredPayloadBytes</c>).
/// A larger one is replaced by a small JSON object that says so and keeps the first bytes, so the
/// column stays JSON and the Webhooks page can still show what arrived.
/// </summary>
public static class StoredPayload
{
    public const string TruncatedMarker = "truncated";

    public static string Limit(string maskedPayload, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetByteCount(maskedPayload);
        if (bytes <= maxBytes) return maskedPayload;
        var headChars = Math.Min(maskedPayload.Length, maxBytes);
        while (true)
        {
            var head = maskedPayload[..headChars];
            if (head.Length > 0 && char.IsHighSurrogate(head[^1])) head = head[..^1];
            var note = new JsonObject
            {
                [TruncatedMarker] = true,
                ["bytes"] = bytes,
                ["head"] = head,
            }.ToJsonString();
            // Escaping can make the head longer than its characters: shorten until the note fits.
            if (Encoding.UTF8.GetByteCount(note) <= maxBytes || headChars == 0) return note;
            headChars /= 2;
        }
    }
}
