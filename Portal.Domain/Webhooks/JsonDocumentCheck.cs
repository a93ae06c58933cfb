using System.Text.Json;

namespace Portal.Domain.Webhooks;

/// <summary>
/// What System.Text.Json's parser lets through but no event may contain: the same property
/// twice in one object (which value would count is up to the reader, and JsonNode throws on
/// it) and \u escapes of lone UTF-16 surrogates (which cannot become a string). Checked once,
/// before the parsers and the masker read anything, so such a body is a 400 with a message.
/// </summary>
public static class JsonDocumentCheck
{
    /// <returns>Why the document is refused, or null when it is fine.</returns>
    public static string? FindProblem(JsonElement root)
    {
        var pending = new Stack<(JsonElement Element, string Path)>();
        pending.Push((root, "$"));
        while (pending.TryPop(out var item))
        {
            var (element, path) = item;
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        string name;
                        try
                        {
                            name = property.Name;
                        }
                        catch (InvalidOperationException)
                        {
                            return $"A property name in {path} contains a lone UTF-16 surrogate escape (\\uD800 to \\uDFFF without its pair).";
                        }
                        var childPath = path + "." + Shorten(name);
                        if (!names.Add(name))
                            return $"The property {childPath} appears twice in the same object.";
                        pending.Push((property.Value, childPath));
                    }
                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var value in element.EnumerateArray())
                        pending.Push((value, $"{path}[{index++}]"));
                    break;
                case JsonValueKind.String:
                    try
                    {
                        _ = element.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        return $"The value of {path} contains a lone UTF-16 surrogate escape (\\uD800 to \\uDFFF without its pair).";
                    }
                    break;
            }
        }
        return null;
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
