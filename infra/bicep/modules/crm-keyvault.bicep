// The org CRM client secrets, in a vault of their own: the CRM code reads only this vault (Crm__KeyVaultUri), so it
// cannot reach the Twilio secrets, and the admins who add CRM secrets get no access to the Twilio vault.
@description('Name of the Key Vault holding per-org CRM client secrets, named crm-{orgId}-client-secret.')
param name string
param location string
param tags object
@description('Entra tenant that owns the vault.')
param tenantId string
@description('Purge protection: a deleted vault or secret cannot be purged before its retention ends. Irreversible once on.')
param enablePurgeProtection bool
@description('When true the vault takes no traffic from public networks; the app reaches it through a private endpoint.')
param enableNetworkIsolation bool

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // Azure refuses an explicit false, so off means leaving the property out.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: enableNetworkIsolation ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: enableNetworkIsolation ? 'Deny' : 'Allow'
    }
  }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
