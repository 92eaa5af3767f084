using System.Security.Cryptography;
using System.Text;

namespace Playbooks.Calling.Crm.Dynamics;

/// <summary>RFC 4122 §4.3 name-based UUIDs, version 5 (SHA-1).</summary>
public static class NameBasedGuid
{
    /// <summary>The namespace of phonecall ids made from call SIDs; changing it would duplicate every phonecall.</summary>
    public static readonly Guid CallSidNamespace = new("ce0ecb41-32fc-448c-ad97-0983b177247a");

    public static Guid Create(Guid namespaceId, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    public static Guid ForCallSid(string callSid) => Create(CallSidNamespace, callSid);
}
