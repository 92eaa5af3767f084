using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>One bad request. <see cref="MustRefuse"/>: only a 4xx will do; otherwise a 2xx is fine too, but never a 5xx.</summary>
public sealed record BadInput(ApiRoute Route, string Name, bool MustRefuse, Func<string, HttpRequestMessage> Build)
{
    /// <summary>A route parameter sent with this value instead of a plausible one (the test escapes it into the path).</summary>
    public (string Name, string Value)? PathValue { get; init; }

    public override string ToString() => $"{Route.Key} [{Name}]";
}

/// <summary>
/// The bad-input cases of every route with a body or a query, derived from the route's request type and the query names
/// its function reads: wrong types, missing and extra fields, huge strings, Unicode edge cases, malformed numbers, dates out
/// of range, huge and chunked bodies, malformed JSON and forms, wrong content types.
/// </summary>
internal static class BadInputCorpus
{
    private const string Json = "application/json";

    private static readonly string TenThousandItems = "[" + string.Join(',', Enumerable.Repeat("\"a\"", 10_000)) + "]";

    private static readonly Lazy<byte[]> TenMegabytes = new(() => Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', 10 * 1024 * 1024) + "\"}"));

    /// <summary>Strings a field may hold or refuse, but never fail on: (name, JSON string literal, must refuse).</summary>
    private static readonly (string Name, string Literal, bool MustRefuse)[] Strings =
    [
        // Inside the body cap, so it reaches the field's own limit: no stored string may be this long (entity and audit entry must fit).
        ("30,000-character string", Quote(new string('z', 30_000)), true),
        ("100 KB string", Quote(new string('x', 100 * 1024)), true),
        ("1 MB string", Quote(new string('y', 1024 * 1024)), true),
        ("lone high surrogate", "\"\\ud800\"", true),
        ("lone low surrogate", "\"a\\udc00b\"", true),
        ("reversed surrogate pair", "\"\\udc00\\ud800\"", true),
        ("NUL", "\"a\\u0000b\"", false),
        ("control characters", "\"\\u0001\\u0007\\u001b[31m\\r\\n\"", false),
        ("RTL override", "\"\\u202Egnp.exe\"", false),
        ("emoji", "\"\\ud83d\\udcde\\ud83c\\udff3\\ufe0f\\u200d\\ud83c\\udf08\"", false),
        ("combining marks", Quote("e" + new string('\u0301', 500)), false),
        ("zero-width and BOM", "\"\\u200b\\ufeff\\u2060x\"", false),
        ("noncharacters", "\"\\uffff\\ufffe\"", false),
        ("table key characters", Quote("a/b\\c#d?e\t"), false),
        ("empty", "\"\"", false),
        ("whitespace only", "\"   \"", false),
        ("markup", Quote("<script>alert(1)</script>"), false),
        ("path traversal", Quote("../../../etc/passwd"), false),
    ];

    /// <summary>Numbers in every malformed shape, as raw JSON tokens: (name, token, must refuse for a whole-number field).</summary>
    private static readonly (string Name, string Token, bool MustRefuse)[] Numbers =
    [
        ("1e309", "1e309", true),
        ("-1e309", "-1e309", true),
        ("-0", "-0", false),
        ("NaN", "NaN", true),
        ("Infinity", "Infinity", true),
        ("hex", "0x10", true),
        ("underscore", "1_000", true),
        ("leading plus", "+1", true),
        ("leading zero", "007", true),
        ("huge integer", "123456789012345678901234567890123456789", true),
        ("negative", "-1", false),
        ("fraction", "1.5", false),
        ("tiny", "1e-400", false),
        ("number as string", "\"3\"", true),
    ];

    public static IReadOnlyList<BadInput> For(ApiRoute route)
    {
        if (route.IsTwilioWebhook)
        {
            return FormCases(route).ToList();
        }

        var cases = new List<BadInput>();
        if (route.HasBody && route.RequestType is { } type)
        {
            cases.AddRange(BodyCases(route, type));
            foreach (var (name, fieldType) in SampleBodies.Fields(type))
            {
                cases.AddRange(FieldCases(route, type, name, fieldType));
            }
        }

        foreach (var name in route.QueryNames)
        {
            cases.AddRange(QueryCases(route, name));
        }

        foreach (var name in route.Parameters)
        {
            cases.AddRange(PathCases(route, name));
        }

        return cases;
    }

    /// <summary>
    /// Route parameters become table keys and Twilio SIDs: characters Table Storage refuses in keys, and worse. (No %00:
    /// the web server refuses such a path before any function sees it.)
    /// </summary>
    private static IEnumerable<BadInput> PathCases(ApiRoute route, string name)
    {
        var values = new (string Name, string Value)[]
        {
            ("slash", "a/b"), ("backslash", "a\\b"), ("hash", "a#b"), ("question mark", "a?b=c"), ("dot dot", ".."),
            ("control characters", "a\u0001\u001b"), ("tab and newline", "a\tb\nc"), ("RTL override", "\u202Eabc"),
            ("emoji", "\U0001F4DE"), ("2,000 characters", new string('p', 2000)), ("single quote", "a'b"), ("percent", "100%"),
        };
        foreach (var (valueName, value) in values)
        {
            var body = route.HasBody ? SampleBodies.Valid(route.RequestType).ToJsonString() : null;
            yield return new BadInput(route, $"{{{name}}}: {valueName}", false, path => Request(route, path, body is null ? null : new StringContent(body, Encoding.UTF8), body is null ? null : Json))
            {
                PathValue = (name, value),
            };
        }
    }

    private static IEnumerable<BadInput> BodyCases(ApiRoute route, Type type)
    {
        var valid = SampleBodies.Valid(type);
        var first = SampleBodies.Fields(type).Select(f => f.Name).FirstOrDefault() ?? "x";
        // No body may mean "the defaults" (e.g. CRM retry of every failure), so only a 5xx or a bare 4xx fails here.
        yield return Raw(route, "empty body", false, "", Json);
        yield return Raw(route, "JSON null", true, "null", Json);
        yield return Raw(route, "unclosed object", true, "{", Json);
        yield return Raw(route, "unclosed array", true, "[", Json);
        yield return Raw(route, "truncated literal", true, "nul", Json);
        yield return Raw(route, "missing value", true, $"{{\"{first}\":}}", Json);
        yield return Raw(route, "trailing comma", true, $"{{\"{first}\":null,}}", Json);
        yield return Raw(route, "single quotes", true, $"{{'{first}':'x'}}", Json);
        yield return Raw(route, "comment", true, $"{{/* hi */\"{first}\":null}}", Json);
        yield return Raw(route, "array instead of object", true, "[]", Json);
        yield return Raw(route, "string instead of object", true, "\"body\"", Json);
        yield return Raw(route, "number instead of object", true, "42", Json);
        yield return Raw(route, "two documents", true, "{}{}", Json);
        yield return Raw(route, "deep nesting", true, new string('[', 5000) + new string(']', 5000), Json);
        yield return Raw(route, "deep object nesting", true, string.Concat(Enumerable.Repeat($"{{\"{first}\":", 2000)) + "1" + new string('}', 2000), Json);
        yield return Raw(route, "lone surrogate in a field name", true, "{\"\\ud800\":1}", Json);
        yield return Bytes(route, "invalid UTF-8", true, [.. "{\""u8, .. Encoding.UTF8.GetBytes(first), .. "\":\""u8, 0xFF, 0xFE, 0xC0, 0x80, .. "\"}"u8], Json);
        yield return Bytes(route, "UTF-16 body", true, Encoding.Unicode.GetBytes(valid.ToJsonString()), Json);
        yield return Raw(route, "form data", true, "name=x&enabled=true", "application/x-www-form-urlencoded");
        yield return Raw(route, "XML", true, "<body><name>x</name></body>", "application/xml");
        yield return Raw(route, "multipart", true, "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n--b--\r\n", "multipart/form-data; boundary=b");
        yield return Raw(route, "valid JSON as text/plain", false, valid.ToJsonString(), "text/plain");
        yield return Raw(route, "valid JSON, no content type", false, valid.ToJsonString(), null);
        yield return Raw(route, "missing every field", false, "{}", Json);
        var disallowsExtra = type.GetCustomAttributes(typeof(JsonUnmappedMemberHandlingAttribute), true)
            .OfType<JsonUnmappedMemberHandlingAttribute>().Any(a => a.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow);
        yield return Field(route, valid, "extra field", disallowsExtra, "unexpectedField", "\"x\"");
        yield return Field(route, valid, "extra __proto__ field", disallowsExtra, "__proto__", "{\"admin\":true}");
        yield return Field(route, valid, "extra orgId field", disallowsExtra, "orgId_", "\"another-org\"");
        yield return new BadInput(route, "10 MB body", true, path => Request(route, path, new ByteArrayContent(TenMegabytes.Value), Json));
        yield return new BadInput(route, "10 MB chunked body, no Content-Length", true, path => Request(route, path, new ChunkedContent(TenMegabytes.Value), Json));
    }

    private static IEnumerable<BadInput> FieldCases(ApiRoute route, Type type, string field, Type fieldType)
    {
        var valid = SampleBodies.Valid(type);
        var isString = fieldType == typeof(string);
        var isList = SampleBodies.IsList(fieldType);
        var isWholeNumber = fieldType == typeof(int) || fieldType == typeof(long);
        yield return Field(route, valid, $"{field}: null", false, field, "null");
        foreach (var (name, token) in WrongTypes(fieldType))
        {
            yield return Field(route, valid, $"{field}: {name}", true, field, token);
        }

        if (isString || isList)
        {
            foreach (var (name, literal, mustRefuse) in Strings)
            {
                yield return Field(route, valid, $"{field}: {name}", mustRefuse, field, isList ? $"[{literal}]" : literal);
            }
        }

        if (isList)
        {
            yield return Field(route, valid, $"{field}: 10,000 items", true, field, TenThousandItems);
            yield return Field(route, valid, $"{field}: null item", false, field, "[null]");
        }

        if (SampleBodies.IsNumber(fieldType) || fieldType == typeof(bool))
        {
            foreach (var (name, token, mustRefuse) in Numbers)
            {
                var refuse = fieldType == typeof(bool) || (isWholeNumber ? mustRefuse : mustRefuse && name is not "huge integer");
                yield return Field(route, valid, $"{field}: {name}", refuse || (isWholeNumber && name == "fraction"), field, token);
            }
        }
    }

    private static IEnumerable<(string Name, string Token)> WrongTypes(Type type)
    {
        if (type != typeof(string))
        {
            yield return ("string for " + type.Name, "\"text\"");
        }

        if (type != typeof(bool))
        {
            yield return ("boolean", "true");
        }

        if (!SampleBodies.IsNumber(type))
        {
            yield return ("number", "12");
        }

        yield return ("object", "{\"a\":1}");
        if (!SampleBodies.IsList(type))
        {
            yield return ("array", "[\"a\"]");
        }
    }

    private static IEnumerable<BadInput> QueryCases(ApiRoute route, string name)
    {
        var isDate = name is "from" or "to" || name.EndsWith("At", StringComparison.Ordinal) || name.EndsWith("Date", StringComparison.Ordinal);
        var isNumber = name is "pageSize" or "limit" or "skip" or "top";
        var values = new (string Name, string Encoded, bool MustRefuse)[]
        {
            ("100 KB", new string('q', 100 * 1024), isNumber || isDate),
            ("NUL and controls", "%00%01%1B%0D%0A", isNumber || isDate),
            ("invalid UTF-8", "%FF%FE%C0%80", isNumber || isDate),
            ("lone surrogate as UTF-8", "%ED%A0%80", isNumber || isDate),
            ("RTL override", Uri.EscapeDataString("\u202Eabc"), isNumber || isDate),
            ("emoji", Uri.EscapeDataString("\U0001F4DE"), isNumber || isDate),
            ("combining marks", Uri.EscapeDataString("e" + new string('\u0301', 200)), isNumber || isDate),
            ("1e309", "1e309", isNumber || isDate),
            ("-0", "-0", isDate),
            ("NaN", "NaN", isNumber || isDate),
            ("hex", "0x10", isNumber || isDate),
            ("underscore", "1_000", isNumber || isDate),
            ("leading plus", "%2B1", isNumber || isDate),
            ("huge integer", "123456789012345678901234567890", isNumber || isDate),
            ("negative", "-1", isNumber || isDate),
            ("zero", "0", isNumber || isDate),
            ("year 1", "0001-01-01", isNumber || isDate),
            ("year 9999", "9999-12-31T23:59:59Z", isNumber || name == "from"),
            ("year 10000", "10000-01-01", isNumber || isDate),
            ("month 13", "2025-13-45", isNumber || isDate),
            ("date with offset +14", "2025-01-01T00:00:00%2B14:00", isNumber),
            ("empty", "", false),
        };
        foreach (var (valueName, encoded, mustRefuse) in values)
        {
            yield return new BadInput(route, $"?{name}: {valueName}", mustRefuse, path => Request(route, $"{path}?{name}={encoded}", null, null));
        }

        yield return new BadInput(route, $"?{name}: twice", false, path => Request(route, $"{path}?{name}=1&{name}=2", null, null));
        yield return new BadInput(route, $"?{name}: malformed escape", isNumber || isDate, path => Request(route, $"{path}?{name}=%ZZ%", null, null));
    }

    /// <summary>Webhook forms: unsigned, so refused whatever they hold, but never with a 5xx.</summary>
    private static IEnumerable<BadInput> FormCases(ApiRoute route)
    {
        const string form = "application/x-www-form-urlencoded";
        yield return Raw(route, "5 MB form value", true, () => "CallSid=" + new string('a', 5 * 1024 * 1024), form);
        yield return new BadInput(route, "10 MB chunked form", true,
            path => Request(route, path, new ChunkedContent(Encoding.ASCII.GetBytes("CallSid=" + new string('b', 10 * 1024 * 1024))), form));
        yield return Raw(route, "10,000 form fields", true, () => string.Join('&', Enumerable.Range(0, 10_000).Select(i => $"f{i}=v")), form);
        yield return Raw(route, "malformed escapes", true, "CallSid=%ZZ&%%%=&=&&", form);
        yield return Bytes(route, "invalid UTF-8", true, [.. "CallSid="u8, 0xFF, 0xFE, 0xC0, 0x80], form);
        yield return Raw(route, "JSON body", true, "{\"CallSid\":\"CA1\"}", Json);
        yield return Raw(route, "no body", true, "", form);
        yield return Raw(route, "multipart form", true, "--b\r\nContent-Disposition: form-data; name=\"CallSid\"\r\n\r\nCA1\r\n--b--\r\n", "multipart/form-data; boundary=b");
        yield return Raw(route, "huge field name", true, () => new string('k', 1024 * 1024) + "=v", form);
        yield return new BadInput(route, "query of 100 KB", true, path => Request(route, $"{path}?orgId={new string('o', 100 * 1024)}", new StringContent("CallSid=CA1", Encoding.UTF8, form), null));
    }

    private static BadInput Field(ApiRoute route, JsonObject valid, string name, bool mustRefuse, string field, string token)
    {
        // The field is spliced in as raw text, so tokens that are not valid JSON (NaN, 0x10, lone surrogates) reach the server.
        var others = valid.Where(p => p.Key != field).Select(p => $"{JsonSerializer.Serialize(p.Key)}:{p.Value?.ToJsonString() ?? "null"}").ToList();
        return Raw(route, name, mustRefuse, () => "{" + string.Join(',', others.Append($"{JsonSerializer.Serialize(field)}:{token}")) + "}", Json);
    }

    private static BadInput Raw(ApiRoute route, string name, bool mustRefuse, string body, string? contentType) =>
        Raw(route, name, mustRefuse, () => body, contentType);

    /// <summary>The body is built when the request is sent, so a corpus of megabyte bodies is not held in memory at once.</summary>
    private static BadInput Raw(ApiRoute route, string name, bool mustRefuse, Func<string> body, string? contentType) =>
        new(route, name, mustRefuse, path => Request(route, path, new ByteArrayContent(Encoding.UTF8.GetBytes(body())), contentType));

    private static BadInput Bytes(ApiRoute route, string name, bool mustRefuse, byte[] body, string? contentType) =>
        new(route, name, mustRefuse, path => Request(route, path, new ByteArrayContent(body), contentType));

    private static HttpRequestMessage Request(ApiRoute route, string path, HttpContent? content, string? contentType)
    {
        if (content is not null && contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return new HttpRequestMessage(new HttpMethod(route.Method), path) { Content = content };
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);

    /// <summary>A body whose length is not known up front, so it goes without Content-Length (chunked).</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(64 * 1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
