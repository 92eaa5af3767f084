using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Telemetry;
using Playbooks.Calling.Twilio;
using Twilio.Jwt.AccessToken;

namespace Playbooks.Calling.Calls;

/// <summary>A Twilio Voice access token for the browser's Device.</summary>
public sealed record VoiceToken(string Token, string Identity, DateTimeOffset ExpiresAt);

/// <summary>
/// Mints short-lived Voice access tokens that may place outgoing calls through our TwiML app only.
/// <para>
/// A token minted for an identity and TwiML app is handed out again for the same pair for at most
/// <see cref="TwilioOptions.TokenReuseWindow"/> (5 s) after it was issued, with its own expiry, so the expiry a caller is
/// told is always the token's exp claim (at most the window short of the full lifetime). Minting costs far more CPU
/// than anything else on the token route, and a page that asks again within seconds gets the same token. Reuse never
/// skips a check: callers decide who may have a token before they ask, and a token with another grant (another TwiML
/// app, the network test) is another entry.
/// </para>
/// </summary>
public class VoiceTokenIssuer(IOptions<TwilioOptions> options)
{
    private readonly TwilioOptions _options = options.Value;
    private readonly MemoryCache _recent = new(new MemoryCacheOptions());

    private sealed record Minted(VoiceToken Token, DateTimeOffset IssuedAt);

    /// <summary>Permission checks come first; this only mints. Fails when the ids don't fit a Twilio identity.</summary>
    public virtual Result<VoiceToken> Issue(string orgId, string userId, DateTimeOffset now)
    {
        var identity = ClientIdentity.Encode(orgId, userId);
        return identity.Failure is { } failure ? failure : Mint(identity.Value!, _options.TwimlAppSid, now, "voice");
    }

    /// <summary>A token for the network test: its grant is the preflight TwiML app only, under an identity no calling webhook accepts.</summary>
    public virtual Result<VoiceToken> IssuePreflight(string orgId, string userId, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(_options.PreflightTwimlAppSid))
        {
            return new Failure(FailureKind.Unavailable, PreflightIdentity.NotConfigured, "The network test is not set up (Twilio:PreflightTwimlAppSid).");
        }

        var identity = PreflightIdentity.Encode(orgId, userId);
        return identity.Failure is { } failure ? failure : Mint(identity.Value!, _options.PreflightTwimlAppSid, now, "preflight");
    }

    private VoiceToken Mint(string identity, string applicationSid, DateTimeOffset now, string kind)
    {
        var reuse = _options.TokenReuseWindow; // validated: 0 to 5 s
        var key = (identity, applicationSid);
        if (reuse > TimeSpan.Zero && _recent.TryGetValue(key, out Minted? kept) && kept is not null
            && now >= kept.IssuedAt && now - kept.IssuedAt < reuse)
        {
            return kept.Token;
        }

        var token = MintNew(identity, applicationSid, now, kind);
        if (reuse > TimeSpan.Zero)
        {
            // Eviction only; whether an entry may still be served is decided above from the caller's clock.
            _recent.Set(key, token, reuse);
        }

        return token.Token;
    }

    private Minted MintNew(string identity, string applicationSid, DateTimeOffset now, string kind)
    {
        PlaybooksTelemetry.TokensMinted.Add(1, new KeyValuePair<string, object?>(PlaybooksTelemetry.TokenKindTag, kind));

        var lifetime = _options.TokenLifetime > TwilioOptions.MaxTokenLifetime ? TwilioOptions.MaxTokenLifetime : _options.TokenLifetime;
        // Whole seconds, so the expiry we report is the exp claim exactly.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = issuedAt + lifetime;

        // Incoming calls to the browser are not part of this product, so the token cannot receive them.
        var grant = new VoiceGrant { OutgoingApplicationSid = applicationSid, IncomingAllow = false };
        var token = new Token(
            _options.AccountSid,
            _options.ApiKeySid,
            _options.ApiKeySecret,
            identity: identity,
            expiration: expiresAt.UtcDateTime,
            nbf: issuedAt.UtcDateTime,
            grants: [grant]);

        return new Minted(new VoiceToken(token.ToJwt(), identity, expiresAt), issuedAt);
    }
}
