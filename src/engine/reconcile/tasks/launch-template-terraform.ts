// A launch template as Terraform (kops' LaunchTemplate RenderTerraform): the
// same data CreateLaunchTemplate sends, with the role's security group, the
// instance profile and the key pair named by reference, user-data read from
// data/ and gzipped with base64gzip(), and create_before_destroy so that a changed
// template is made before the old one goes (the auto scaling group follows
// latest_version). User-data that names the API load balancer's DNS name is
// written with a placeholder that Terraform replaces with the load balancer's
// dns_name when it applies.
import { decodeUserData } from '../../bootstrap/user-data.js';
import { blocks, expr, quote } from '../../terraform/hcl.js';
import { dataFile, type TerraformContext, type TerraformResource } from '../../terraform/types.js';
import { LAUNCHED_RESOURCE_TYPES, PENDING_API_HOST, type LaunchTemplateDesired, type LaunchTemplateInput } from './launch-template.js';

export function launchTemplateTerraform(t: TerraformContext, input: LaunchTemplateInput, d: LaunchTemplateDesired): TerraformResource {
  if (!d.imageId) throw new Error(`LaunchTemplate/${input.name}: image ${d.imageRef} was not found (DescribeImages); Terraform needs its id`);
  const type = 'aws_launch_template';
  let userData;
  if (typeof input.userData === 'string') {
    // Gzipped when Terraform applies, as kopsdeck sends it (renderUserDataBase64).
    const file = dataFile(type, input.name, 'user_data', decodeUserData(input.userData));
    userData = { file: file.file, value: expr(`base64gzip(${file.value.expr})`) };
  } else {
    const text = decodeUserData(input.userData.render(PENDING_API_HOST));
    if (!text.includes(PENDING_API_HOST)) throw new Error(`LaunchTemplate/${input.name}: the user-data does not name the API host it waits for`);
    const file = dataFile(type, input.name, 'user_data', text);
    const dnsName = t.ref(input.userData.loadBalancerKey, 'dns_name').expr;
    userData = { file: file.file, value: expr(`base64gzip(replace(${file.value.expr}, ${quote(PENDING_API_HOST)}, lower(${dnsName})))`) };
  }
  const volume = d.rootVolume;
  const tagSpecifications = LAUNCHED_RESOURCE_TYPES.map((resourceType) => ({ resource_type: resourceType, tags: d.instanceTags }));
  return {
    type,
    name: input.name,
    body: {
      block_device_mappings: blocks({
        device_name: d.rootDeviceName,
        ebs: blocks({
          delete_on_termination: true,
          encrypted: volume.encrypted,
          iops: volume.iops,
          throughput: volume.throughput,
          volume_size: volume.size,
          volume_type: volume.type,
        }),
      }),
      iam_instance_profile: input.instanceProfile ? blocks({ name: t.ref(input.instanceProfile.key, 'id') }) : undefined,
      image_id: d.imageId,
      instance_type: d.instanceType,
      key_name: input.sshKeyKey ? t.ref(input.sshKeyKey, 'id') : d.keyName,
      lifecycle: blocks({ create_before_destroy: true }),
      metadata_options: blocks({
        http_endpoint: 'enabled',
        http_protocol_ipv6: 'disabled',
        http_put_response_hop_limit: d.httpPutResponseHopLimit,
        http_tokens: d.httpTokens,
      }),
      name: input.name,
      network_interfaces: blocks({
        associate_public_ip_address: d.associatePublicIp,
        delete_on_termination: true,
        security_groups: [t.ref(input.securityGroupKey, 'id'), ...(input.additionalSecurityGroupIds ?? [])],
      }),
      tag_specifications: blocks(...tagSpecifications),
      tags: d.tags,
      user_data: userData.value,
    },
    files: [userData.file],
  };
}
