using System.Text.Json;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public class StorageTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("storage");

    private static JsonElement Account => Module.Resource("Microsoft.Storage/storageAccounts").GetProperty("properties");

    [Fact]
    public void Account_MinimumTls_Is12()
    {
        Assert.Equal("TLS1_2", Account.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public void Account_HttpsOnly_IsOn()
    {
        Assert.True(Account.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
    }

    [Fact]
    public void Account_SharedKeyAccess_IsOff()
    {
        Assert.False(Account.GetProperty("allowSharedKeyAccess").GetBoolean());
    }

    [Fact]
    public void Account_PublicBlobAccess_IsOff()
    {
        Assert.False(Account.GetProperty("allowBlobPublicAccess").GetBoolean());
    }

    [Fact]
    public void Tables_AreEveryTableTheAppOwns()
    {
        var tables = Module.Resource("Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.Equal("[length(parameters('tableNames'))]", tables.GetProperty("copy").GetProperty("count").GetString());

        var names = Module.ResolveParameter("tableNames").Value
            .EnumerateArray().Select(n => n.GetString()).ToList();

        Assert.Equal(Playbooks.Calling.Storage.TableNames.All.Order(), names.Order());
    }

    [Fact]
    public void DeploymentContainer_IsPrivate()
    {
        var container = Module.Resource("Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.Equal("None", container.GetProperty("properties").GetProperty("publicAccess").GetString());
    }
}
