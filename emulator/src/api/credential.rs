//! Registry logon credentials: temporary tokens and the fixed password.
//! Only digests of them are kept in the state.

use super::{done, Answer, Call, Failure, Route};
use crate::obj;
use crate::state::image::sha256_hex;
use crate::state::{State, TemporaryToken};

pub(super) const ROUTES: &[Route] = &[
    Route::write("GetAuthorizationToken", token),
    Route::write("ResetLoginPassword", reset_password),
];

/// A temporary logon token is valid for one hour.
const TOKEN_LIFETIME_MS: i64 = 3_600_000;
/// The user name temporary logons use.
const TEMP_USERNAME: &str = "cr_temp_user";

fn token(state: &mut State, call: &Call<'_>) -> Answer {
    let token = format!("{}:{}", state.rng.hex(12), state.rng.hex(40));
    let now = call.now;
    let instance = call.instance_mut(state)?;
    let expire = now + TOKEN_LIFETIME_MS;
    instance.login.tokens.retain(|t| t.expire_time > now);
    instance.login.tokens.push(TemporaryToken {
        username: TEMP_USERNAME.into(),
        token_sha256: sha256_hex(token.as_bytes()),
        expire_time: expire,
    });
    Ok(obj! {
        "TempUsername" => TEMP_USERNAME,
        "AuthorizationToken" => token,
        "ExpireTime" => expire,
    })
}

/// 8 to 32 characters with at least two of: letters, digits, symbols.
fn check_password(password: &str) -> Result<(), Failure> {
    let length = password.chars().count();
    let kinds = [
        password.chars().any(|c| c.is_ascii_alphabetic()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| c.is_ascii_punctuation()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if !(8..=32).contains(&length) || kinds < 2 || !password.chars().all(|c| c.is_ascii_graphic()) {
        // The message describes the rule, never the value.
        return Err(Failure::invalid(
            "Password",
            "it must be 8 to 32 printable ASCII characters with at least two of letters, digits and symbols",
        ));
    }
    Ok(())
}

fn reset_password(state: &mut State, call: &Call<'_>) -> Answer {
    let password = call.text("Password");
    check_password(password)?;
    let instance = call.instance_mut(state)?;
    instance.login.password_sha256 = Some(sha256_hex(password.as_bytes()));
    instance.login.password_modified = Some(call.now);
    instance.modified_time = call.now;
    done()
}
