using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Playbooks.Functions.Auth;

/// <summary>
/// Bearer tokens this instance validated in full (signature, issuer, audience, lifetime), kept by their SHA-256 for
/// at most <see cref="MaxAge"/> and never past the token's own expiry. A web app polls with the same token many
/// times a minute; each repeat skips the signature check and claim parsing and gets the principal built the first
/// time. Only an exact repeat of a token that passed is served: any other string goes through full validation.
/// </summary>
public sealed class ValidatedTokenCache(IMemoryCache cache, TimeProvider? time = null)
{
    /// <summary>How long a validation is reused: short, so a signing key withdrawn from the metadata stops its tokens soon after.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Chains the cache into the bearer handler's events, after whatever is already there.</summary>
    public void Attach(JwtBearerOptions options)
    {
        options.Events ??= new JwtBearerEvents();
        var received = options.Events.OnMessageReceived;
        options.Events.OnMessageReceived = async context =>
        {
            await received(context);
            if (context.Result is not null)
            {
                return;
            }
            var token = context.Token ?? BearerOf(context.Request.Headers.Authorization.ToString());
            if (token is not null && TryGet(token) is { } principal)
            {
                context.Principal = principal;
                context.Success();
            }
        };
        var validated = options.Events.OnTokenValidated;
        options.Events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Result is { Succeeded: false } || context.Principal is null)
            {
                return;
            }
            if (context.SecurityToken is JsonWebToken jwt)
            {
                Keep(jwt.EncodedToken, context.Principal, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
            }
        };
    }

    public ClaimsPrincipal? TryGet(string token) =>
        cache.TryGetValue(KeyOf(token), out Entry? entry) && entry is not null && _time.GetUtcNow() < entry.Until ? entry.Principal : null;

    public void Keep(string token, ClaimsPrincipal principal, DateTimeOffset expiresAt)
    {
        var until = _time.GetUtcNow() + MaxAge;
        if (expiresAt < until)
        {
            until = expiresAt;
        }
        var left = until - _time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            cache.Set(KeyOf(token), new Entry(principal, until), left);
        }
    }

    private static string? BearerOf(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;

    private static TokenKey KeyOf(string token) => new(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))));

    private sealed record TokenKey(string Sha256);

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until);
}
