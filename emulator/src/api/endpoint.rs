//! Instance access control: the Internet and VPC endpoints of the Registry
//! and Chart modules, their access control lists, and linked VPCs.

use tagdeck::Value;

use super::{done, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::{AclEntry, Endpoint, Instance, LinkedVpc, State};

pub(super) const ROUTES: &[Route] = &[
    Route::write("CreateInstanceVpcEndpointLinkedVpc", link_vpc),
    Route::write("DeleteInstanceVpcEndpointLinkedVpc", unlink_vpc),
    Route::read("GetInstanceVpcEndpoint", vpc_endpoint),
    Route::read("GetInstanceEndpoint", get),
    Route::read("ListInstanceEndpoint", list),
    Route::write("UpdateInstanceEndpointStatus", update_status),
    Route::write("CreateInstanceEndpointAclPolicy", add_acl),
    Route::write("DeleteInstanceEndpointAclPolicy", remove_acl),
];

/// How many VPCs a module may link by default.
const LINKED_VPC_QUOTA: usize = 3;

/// `Registry` or `Chart`, whatever the case it arrives in.
fn module(call: &Call<'_>) -> &'static str {
    match call.given("ModuleName") {
        Some(m) if m.eq_ignore_ascii_case("chart") => "Chart",
        _ => "Registry",
    }
}

/// `internet` or `vpc`.
fn endpoint_type(call: &Call<'_>) -> Result<&'static str, Failure> {
    match call.text("EndpointType") {
        t if t.eq_ignore_ascii_case("internet") => Ok("internet"),
        t if t.eq_ignore_ascii_case("vpc") => Ok("vpc"),
        other => Err(Failure::invalid(
            "EndpointType",
            format!("must be internet or vpc, got {other:?}"),
        )),
    }
}

fn endpoint_not_found(module: &str, kind: &str) -> Failure {
    Failure::business(
        "ENDPOINT_NOT_EXIST",
        format!("The instance has no {kind} endpoint for its {module} module."),
    )
}

fn status(endpoint: &Endpoint) -> &'static str {
    if endpoint.enable {
        "RUNNING"
    } else {
        "STOPPED"
    }
}

fn domains(endpoint: &Endpoint) -> Vec<Value> {
    endpoint
        .domains
        .iter()
        .map(|d| obj! { "Domain" => &d.domain, "Type" => &d.domain_type })
        .collect()
}

fn find<'s>(instance: &'s Instance, module: &str, kind: &str) -> Result<&'s Endpoint, Failure> {
    instance
        .endpoints
        .iter()
        .find(|e| e.module == module && e.endpoint_type == kind)
        .ok_or_else(|| endpoint_not_found(module, kind))
}

fn get(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let (module, kind) = (module(call), endpoint_type(call)?);
    let endpoint = find(instance, module, kind)?;
    let acl: Vec<Value> = endpoint
        .acl_entries
        .iter()
        .map(|a| obj! { "Entry" => &a.entry, "Comment" => &a.comment })
        .collect();
    // ACL fields exist for the Internet endpoint only.
    let internet = kind == "internet";
    Ok(obj! {
        "Enable" => endpoint.enable,
        "AclEnable" => internet.then_some(endpoint.acl_enable),
        "Status" => internet.then_some(status(endpoint)),
        "Domains" => domains(endpoint),
        "AclEntries" => internet.then_some(acl),
    })
}

fn list(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let module = module(call);
    let endpoints: Vec<Value> = instance
        .endpoints
        .iter()
        .filter(|e| e.module == module)
        .map(|e| {
            let internet = e.endpoint_type == "internet";
            let vpcs: Vec<Value> = instance
                .linked_vpcs
                .iter()
                .filter(|v| !internet && v.module == module)
                .map(|v| obj! { "VpcId" => &v.vpc_id })
                .collect();
            let acl: Vec<Value> = e
                .acl_entries
                .iter()
                .map(|a| obj! { "Entry" => &a.entry })
                .collect();
            obj! {
                "EndpointType" => &e.endpoint_type,
                "Enable" => e.enable,
                "AclEnable" => internet.then_some(e.acl_enable),
                "Status" => internet.then_some(status(e)),
                "Domains" => domains(e),
                "LinkedVpcs" => vpcs,
                "AclEntries" => acl,
            }
        })
        .collect();
    Ok(obj! { "Endpoints" => endpoints })
}

fn update_status(state: &mut State, call: &Call<'_>) -> Answer {
    let module = module(call);
    let enable = call.flag("Enable").unwrap_or(false);
    let instance = call.instance_mut(state)?;
    let endpoint = instance
        .endpoint_mut(module, "internet")
        .ok_or_else(|| endpoint_not_found(module, "internet"))?;
    endpoint.enable = enable;
    instance.modified_time = call.now;
    done()
}

/// An IPv4 range `a.b.c.d/n` (or one address, meaning `/32`).
fn check_cidr(entry: &str) -> Result<(), Failure> {
    let (address, bits) = entry.split_once('/').unwrap_or((entry, "32"));
    let octets: Vec<&str> = address.split('.').collect();
    let address_ok = octets.len() == 4 && octets.iter().all(|o| o.parse::<u8>().is_ok());
    let bits_ok = bits.parse::<u8>().is_ok_and(|b| b <= 32);
    if address_ok && bits_ok {
        Ok(())
    } else {
        Err(Failure::invalid(
            "Entry",
            format!("{entry:?} is not an IPv4 address range such as 192.168.1.0/24"),
        ))
    }
}

/// Access control lists belong to the Internet endpoint.
fn internet_only(call: &Call<'_>) -> Result<(), Failure> {
    match endpoint_type(call)? {
        "internet" => Ok(()),
        _ => Err(Failure::invalid(
            "EndpointType",
            "access control entries apply to the internet endpoint only",
        )),
    }
}

fn add_acl(state: &mut State, call: &Call<'_>) -> Answer {
    internet_only(call)?;
    let entry = call.text("Entry");
    check_cidr(entry)?;
    let module = module(call);
    let instance = call.instance_mut(state)?;
    let endpoint = instance
        .endpoint_mut(module, "internet")
        .ok_or_else(|| endpoint_not_found(module, "internet"))?;
    if endpoint.acl_entries.iter().any(|a| a.entry == entry) {
        return Err(Failure::business(
            "ACL_ENTRY_ALREADY_EXIST",
            format!("The entry {entry} is already in the access control list."),
        ));
    }
    endpoint.acl_entries.push(AclEntry {
        entry: entry.into(),
        comment: call.get("Comment").unwrap_or("").into(),
    });
    done()
}

fn remove_acl(state: &mut State, call: &Call<'_>) -> Answer {
    internet_only(call)?;
    let entry = call.text("Entry");
    let module = module(call);
    let instance = call.instance_mut(state)?;
    let endpoint = instance
        .endpoint_mut(module, "internet")
        .ok_or_else(|| endpoint_not_found(module, "internet"))?;
    let before = endpoint.acl_entries.len();
    endpoint.acl_entries.retain(|a| a.entry != entry);
    if endpoint.acl_entries.len() == before {
        return Err(Failure::business(
            "ACL_ENTRY_NOT_EXIST",
            format!("The entry {entry} is not in the access control list."),
        ));
    }
    done()
}

fn check_prefixed(name: &str, value: &str, prefix: &str) -> Result<(), Failure> {
    let rest = value.strip_prefix(prefix).unwrap_or("");
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Failure::invalid(
            name,
            format!("{value:?} is not an id of the form {prefix}…"),
        ));
    }
    Ok(())
}

/// Links a VPC: `CREATING` until the link is up a task's time later.
fn link_vpc(state: &mut State, call: &Call<'_>) -> Answer {
    let (vpc, vswitch) = (call.text("VpcId"), call.text("VswitchId"));
    check_prefixed("VpcId", vpc, "vpc-")?;
    check_prefixed("VswitchId", vswitch, "vsw-")?;
    let module = module(call);
    let ip = format!(
        "192.168.{}.{}",
        state.rng.between(0, 254),
        state.rng.between(2, 254)
    );
    let instance = call.instance_mut(state)?;
    let linked: Vec<&LinkedVpc> = instance
        .linked_vpcs
        .iter()
        .filter(|v| v.module == module)
        .collect();
    if linked
        .iter()
        .any(|v| v.vpc_id == vpc && v.vswitch_id == vswitch)
    {
        return Err(Failure::business(
            "VPC_ALREADY_LINKED",
            format!("{vpc} ({vswitch}) is already linked to the {module} module."),
        ));
    }
    if linked.len() >= LINKED_VPC_QUOTA {
        return Err(Failure::business(
            "LINKED_VPC_QUOTA_EXCEED",
            format!("The {module} module already has {LINKED_VPC_QUOTA} linked VPCs."),
        ));
    }
    instance.linked_vpcs.push(LinkedVpc {
        module: module.into(),
        vpc_id: vpc.into(),
        vswitch_id: vswitch.into(),
        ip,
        default_access: false,
        status: "CREATING".into(),
        create_time: call.now,
        ready_at: call.now + call.task_ms,
    });
    done()
}

fn unlink_vpc(state: &mut State, call: &Call<'_>) -> Answer {
    let (vpc, vswitch) = (call.text("VpcId"), call.text("VswitchId"));
    let module = module(call);
    let instance = call.instance_mut(state)?;
    let before = instance.linked_vpcs.len();
    instance
        .linked_vpcs
        .retain(|v| !(v.module == module && v.vpc_id == vpc && v.vswitch_id == vswitch));
    if instance.linked_vpcs.len() == before {
        return Err(Failure::business(
            "LINKED_VPC_NOT_EXIST",
            format!("{vpc} ({vswitch}) is not linked to the {module} module."),
        ));
    }
    done()
}

fn vpc_endpoint(state: &State, call: &Call<'_>) -> Answer {
    let instance = call.instance(state)?;
    let module = module(call);
    let vpcs: Vec<Value> = instance
        .linked_vpcs
        .iter()
        .filter(|v| v.module == module)
        .map(|v| {
            obj! {
                "VpcId" => &v.vpc_id,
                "VswitchId" => &v.vswitch_id,
                "Ip" => &v.ip,
                "DefaultAccess" => v.default_access,
                "Status" => &v.status,
                // Why a link is not running; none of the emulator's fail.
                "Issue" => "",
            }
        })
        .collect();
    let enabled = instance
        .endpoints
        .iter()
        .any(|e| e.module == module && e.endpoint_type == "vpc" && e.enable);
    Ok(obj! { "LinkedVpcs" => vpcs, "ModuleName" => module, "Enable" => enabled })
}
