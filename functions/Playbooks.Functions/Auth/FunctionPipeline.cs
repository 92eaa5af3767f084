using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Storage;
using Playbooks.Functions.Http;

namespace Playbooks.Functions.Auth;

/// <summary>
/// What runs around every HTTP function, in Azure and on the dev server alike: bearer-token authentication,
/// role checks from <see cref="AuthorizeAttribute"/>, the body size cap of <see cref="RequestLimits"/>, and
/// problem+json instead of an unhandled 500 (503 <c>storage-unavailable</c> with Retry-After when storage is down).
/// Functions marked <see cref="AllowAnonymousAttribute"/> (health, Twilio webhooks) skip the token.
/// </summary>
public sealed class FunctionPipeline(IOptions<AuthOptions> options, ILogger<FunctionPipeline> logger)
{
    private readonly ConcurrentDictionary<MethodInfo, Access> _access = new();
    private readonly ConcurrentDictionary<MethodInfo, long> _bodyLimits = new();

    public async Task InvokeAsync(HttpContext http, MethodInfo function, Func<Task> next)
    {
        try
        {
            var limit = _bodyLimits.GetOrAdd(function, f => RequestLimits.For(f.GetCustomAttributes(true).Concat(f.DeclaringType!.GetCustomAttributes(true))));
            var denial = RequestLimits.Apply(http, limit) ?? await AuthorizeAsync(http, function);
            if (denial is not null)
            {
                await ProblemWriter.WriteAsync(http, denial);
                return;
            }

            await next();
        }
        catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
        {
            // The body broke the cap or the server could not read it: the client's fault, never a 500.
            logger.LogInformation("Refused the body of a request to {Function}: {Reason}", function.DeclaringType?.Name, ex.Message);
            await ProblemWriter.WriteAsync(http, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? RequestLimits.BodyTooLarge(_bodyLimits.GetValueOrDefault(function, RequestLimits.DefaultMaxBodyBytes))
                : new ProblemResponse(StatusCodes.Status400BadRequest, "body-malformed", "Invalid request", "The request body could not be read.") { Field = "body" });
        }
        catch (Exception ex) when (StorageOutage.Is(ex) && !http.RequestAborted.IsCancellationRequested)
        {
            // An outage, not a bug: the client may retry, and the log names the dependency rather than a stack of ours.
            logger.LogWarning("Storage did not answer a request to {Function}: {Reason}", function.DeclaringType?.Name, ex.Message);
            if (!http.Response.HasStarted)
            {
                await ProblemWriter.WriteAsync(http, Problems.StorageUnavailable());
            }
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(ex, "Unhandled error in {Function}", function.DeclaringType?.Name);
            if (!http.Response.HasStarted)
            {
                await ProblemWriter.WriteAsync(http, Problems.Internal(http.TraceIdentifier));
            }
        }
    }

    private async Task<ProblemResponse?> AuthorizeAsync(HttpContext http, MethodInfo function)
    {
        var access = _access.GetOrAdd(function, Access.Of);
        if (access.Anonymous)
        {
            return null;
        }

        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthenticated(result.Failure is null
                ? "Sign in: this API needs an Entra ID bearer token."
                : "The bearer token was rejected: it is expired, not signed by a trusted key, or not issued for this API.");
        }

        var reading = CallerClaims.Read(result.Principal, options.Value);
        if (reading.MalformedClaim is { } claim)
        {
            logger.LogWarning("Refused a token whose {Claim} claim is not a valid identifier", claim);
            return Problems.Forbidden("invalid-identity-claim", $"The token's {claim} claim is not a valid identifier.");
        }

        if (reading.SupportDropped)
        {
            logger.LogWarning(
                "Ignored the Support role of user {UserId} in org {OrgId}: their token comes from tenant {TenantId}, not the support tenant",
                reading.Caller!.UserId, reading.Caller.OrgId, reading.Caller.TenantId);
        }

        var caller = reading.Caller;
        if (caller is null || caller.Roles.Count == 0)
        {
            return Problems.Forbidden("not-a-playbooks-user", "Your account has no Playbooks org or role. Ask your admin to assign you an app role.");
        }

        http.User = result.Principal;
        http.Items[typeof(Caller)] = caller;
        if (access.Roles.Count > 0 && !access.Roles.Any(caller.IsInRole))
        {
            return Problems.Forbidden("role-required", $"This needs one of these roles: {string.Join(", ", access.Roles)}.");
        }

        return null;
    }

    private sealed record Access(bool Anonymous, IReadOnlyList<string> Roles)
    {
        public static Access Of(MethodInfo function)
        {
            var type = function.DeclaringType!;
            if (function.IsDefined(typeof(AllowAnonymousAttribute)) || type.IsDefined(typeof(AllowAnonymousAttribute)))
            {
                return new Access(true, []);
            }

            var roles = function.GetCustomAttributes<AuthorizeAttribute>()
                .Concat(type.GetCustomAttributes<AuthorizeAttribute>())
                .SelectMany(a => (a.Roles ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Distinct()
                .ToList();
            return new Access(false, roles);
        }
    }
}
