using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Calls;

/// <summary>Phone-based calls a user may start per minute (<see cref="TwilioOptions.CallRequestsPerMinute"/>).</summary>
public class CallRateLimiter(IOptions<TwilioOptions> options, TimeProvider time)
    : UserRateLimiter(options.Value.CallRequestsPerMinute, Window, time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
}
