// Every permission the app's identity holds. No keys or connection strings exist anywhere else.
@description('Principal (object) id of the Function App\'s user-assigned identity.')
param principalId string
param storageAccountName string
@description('Blob containers the app may read and write: the deployment package container, the Functions host\'s own and the voicemail greetings.')
param blobContainerNames array
param serviceBusNamespaceName string
param serviceBusQueueName string
param keyVaultName string
@description('Secrets of the Twilio vault the app reads through Key Vault references.')
param twilioSecretNames array
@description('The vault of per-org CRM client secrets (crm-{orgId}-client-secret).')
param crmKeyVaultName string
param applicationInsightsName string
@description('Optional: the admin who deploys, granted Key Vault Secrets Officer on the CRM vault to add CRM credentials later. Empty grants nothing.')
param adminPrincipalId string

// Storage Blob Data Contributor, per container: the Flex Consumption deployment package and the host's leases and keys.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
// Storage Table Data Contributor: orgs, permission groups, teams, people, audit, activities.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Storage Queue Data Contributor: the Storage queue transport and host queues.
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Azure Service Bus Data Sender: the Twilio status webhook enqueues call events.
var serviceBusDataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
// Azure Service Bus Data Receiver: the activity writer drains call events.
var serviceBusDataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
// Key Vault Secrets User: each Twilio secret (Key Vault references), read only.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
// Key Vault Secrets Officer, on the CRM vault only: the app writes the per-org CRM secrets admins set in the web app,
// and the deploying admin may add them by hand.
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
// Monitoring Metrics Publisher: telemetry to Application Insights with local auth disabled.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName

  resource blobServices 'blobServices' existing = {
    name: 'default'
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [for containerName in blobContainerNames: {
  parent: storage::blobServices
  name: containerName
}]

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource queue 'queues' existing = {
    name: serviceBusQueueName
  }
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource twilioSecrets 'Microsoft.KeyVault/vaults/secrets@2024-11-01' existing = [for secretName in twilioSecretNames: {
  parent: vault
  name: secretName
}]

resource crmVault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: crmKeyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Per container, never the account: the app cannot read or write any other blob in the account.
resource blobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (containerName, i) in blobContainerNames: {
  name: guid(containers[i].id, principalId, storageBlobDataContributor)
  scope: containers[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}]

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, storageTableDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

resource queueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus::queue.id, principalId, serviceBusDataSender)
  scope: serviceBus::queue
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender)
  }
}

resource queueReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(serviceBus::queue.id, principalId, serviceBusDataReceiver)
  scope: serviceBus::queue
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver)
  }
}

// Per Twilio secret, not the vault: the identity reads exactly the secrets its Key Vault references name.
resource twilioSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (secretName, i) in twilioSecretNames: {
  name: guid(twilioSecrets[i].id, principalId, keyVaultSecretsUser)
  scope: twilioSecrets[i]
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}]

resource crmSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(crmVault.id, principalId, keyVaultSecretsOfficer)
  scope: crmVault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

resource adminSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(adminPrincipalId)) {
  name: guid(crmVault.id, adminPrincipalId, keyVaultSecretsOfficer)
  scope: crmVault
  properties: {
    // No principalType: the admin may be a user, a group or a pipeline's service principal.
    principalId: adminPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
  }
}
