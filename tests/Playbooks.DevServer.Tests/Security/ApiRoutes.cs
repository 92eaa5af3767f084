using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Playbooks.DevServer.Functions;
using Playbooks.Functions.Auth;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>One method of one HTTP function, as the dev server's catalog discovers it from the Function App's attributes.</summary>
public sealed partial record ApiRoute(string Function, string Method, string Template, MethodInfo Entry)
{
    public string Key => $"{Method} {Template}";

    public bool IsTwilioWebhook => Template.StartsWith("/api/twilio/", StringComparison.Ordinal);

    public bool IsAnonymous => Entry.IsDefined(typeof(AllowAnonymousAttribute)) || Entry.DeclaringType!.IsDefined(typeof(AllowAnonymousAttribute));

    /// <summary>The roles [Authorize] names; empty means any signed-in Playbooks user.</summary>
    public IReadOnlyList<string> Roles =>
        Entry.GetCustomAttributes<AuthorizeAttribute>().Concat(Entry.DeclaringType!.GetCustomAttributes<AuthorizeAttribute>())
            .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct().ToList();

    public IReadOnlyList<string> Parameters => RouteParameter().Matches(Template).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The JSON request type the function reads (RequestBody.ReadJsonAsync&lt;T&gt;), found in its compiled body.</summary>
    public Type? RequestType => FunctionBodies.ReadJsonTypeOf(Entry);

    /// <summary>Query parameter names the function reads, found as string literals next to HttpRequest.Query.</summary>
    public IReadOnlyList<string> QueryNames => FunctionBodies.QueryNamesOf(Entry);

    public bool HasBody => Method is "POST" or "PUT" or "PATCH";

    public string Fill(Func<string, string> parameter) => RouteParameter().Replace(Template, m => Uri.EscapeDataString(parameter(m.Groups[1].Value)));

    public static IReadOnlyList<ApiRoute> All { get; } = HttpFunctionCatalog
        .Discover(typeof(FunctionPipeline).Assembly, FunctionEndpoints.ReadRoutePrefix(DevServerOptions.FindRepoRoot(null)))
        .SelectMany(f => f.HttpMethods.Select(m => new ApiRoute(f.Name, m, f.RouteTemplate, f.Method)))
        .OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
        .ToList();

    [GeneratedRegex(@"\{([^}:?]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}

/// <summary>
/// Reads the IL of a function (and of the async state machine and Function App helpers it calls) for what it reads from
/// the request, so a new route's body and query are covered without anyone listing them.
/// </summary>
internal static class FunctionBodies
{
    private const byte Call = 0x28, CallVirt = 0x6F, LdStr = 0x72;

    public static Type? ReadJsonTypeOf(MethodInfo entry) =>
        Calls(entry).Where(m => m.Name == "ReadJsonAsync" && m.IsGenericMethod).Select(m => m.GetGenericArguments()[0]).FirstOrDefault();

    public static IReadOnlyList<string> QueryNamesOf(MethodInfo entry)
    {
        var names = new List<string>();
        foreach (var method in Bodies(entry))
        {
            var (calls, strings) = Scan(method);
            if (calls.Any(c => c.Name == "get_Query"))
            {
                names.AddRange(strings.Where(s => Regex.IsMatch(s, "^[a-z][A-Za-z]{1,30}$")));
            }
        }

        return names.Distinct().ToList();
    }

    private static IEnumerable<MethodBase> Calls(MethodInfo entry) => Bodies(entry).SelectMany(m => Scan(m).Calls);

    /// <summary>The entry, its state machine's MoveNext, and one level of Playbooks.Functions helpers it calls.</summary>
    private static IEnumerable<MethodBase> Bodies(MethodInfo entry)
    {
        var first = WithStateMachine(entry).ToList();
        var helpers = first.SelectMany(m => Scan(m).Calls)
            .Where(c => c.Module == entry.Module && c.DeclaringType?.Namespace?.StartsWith("Playbooks.Functions", StringComparison.Ordinal) == true)
            .SelectMany(WithStateMachine);
        return first.Concat(helpers).Distinct();
    }

    private static IEnumerable<MethodBase> WithStateMachine(MethodBase method)
    {
        if (method is MethodInfo { IsGenericMethodDefinition: false } or ConstructorInfo)
        {
            yield return method;
        }

        if (method.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is { } moveNext)
        {
            yield return moveNext;
        }
    }

    private static (List<MethodBase> Calls, List<string> Strings) Scan(MethodBase method)
    {
        var calls = new List<MethodBase>();
        var strings = new List<string>();
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        // A byte-wise scan: every call/callvirt/ldstr opcode is followed by a 4-byte token. Tokens that do not resolve are
        // operands of other instructions, and skipped.
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] is not (Call or CallVirt or LdStr))
            {
                continue;
            }

            var token = BitConverter.ToInt32(il, i + 1);
            try
            {
                if (il[i] == LdStr && (token >> 24) == 0x70)
                {
                    strings.Add(method.Module.ResolveString(token));
                }
                else if (il[i] != LdStr && (token >> 24) is 0x0A or 0x06 or 0x2B && method.Module.ResolveMethod(token, typeArgs, methodArgs) is { } called)
                {
                    calls.Add(called);
                }
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMemberException)
            {
            }
        }

        return (calls, strings);
    }
}
