// Organization admins' page: plain JavaScript, no build step, no dependencies.
//
// Keycloak serves it at {kc}/realms/{realm}/api-keys-console/ (provider api-keys-console), so
// every call below is same-origin. It signs in with the authorization code flow + PKCE (S256)
// through the realm's public client (config.json names it), keeps the tokens in memory only,
// and calls {kc}/realms/{realm}/orgs/... with the user's access token.

const $ = (id) => document.getElementById(id);

// --- where we are: the realm and Keycloak's base URL come from the page's own address ---------

const here = /^(.*)\/realms\/([^/]+)\/api-keys-console(?:\/|$)/.exec(window.location.pathname);
const realm = here ? decodeURIComponent(here[2]) : '';
const realmUrl = here ? `${window.location.origin}${here[1]}/realms/${here[2]}` : '';
const pageUrl = `${realmUrl}/api-keys-console/`;
const oidcUrl = `${realmUrl}/protocol/openid-connect`;

const FLOW_KEY = 'intellia.console.flow'; // the sign-in under way: PKCE verifier, state, nonce
const AUTO_KEY = 'intellia.console.auto'; // signed in in this tab: sign in again after a reload
const ORG_KEY = 'intellia.console.org'; // the organization last picked in this tab

const GRANT_NAMES = ['read', 'write'];
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

let config = { clientId: '', resources: [], keyLifetime: { maxDays: null, requireExpiry: false } };
const EXPIRY_PRESET_DAYS = [1, 7, 30, 90, 365];
const EXPIRING_SOON_MS = 7 * 24 * 3600 * 1000;
let tokens = null; // { access, refresh, idToken, expiresAt }
let organizations = [];
let currentOrg = null;
let rotating = null; // the key object being rotated
let revoking = null; // the key object whose revocation awaits confirmation
let lastFocus = null; // where focus goes back when a dialog closes

// --- small helpers ------------------------------------------------------------------------------

function base64url(bytes) {
  let text = '';
  bytes.forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(byteCount) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

async function sha256(text) {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

/** The claims of a JWT, unverified: only for display and the nonce check of our own sign-in. */
function claims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

function element(tag, properties = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(properties).forEach(([name, value]) => {
    if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('aria-') || name === 'role') node.setAttribute(name, value);
    else node[name] = value;
  });
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function time(iso) {
  if (!iso) return null;
  return element('time', { dateTime: iso, title: iso }, dateFormat.format(new Date(iso)));
}

function announce(message) {
  $('status').textContent = message;
}

function showError(message, where = $('error')) {
  where.textContent = message;
  where.hidden = !message;
}

function show(section) {
  ['loading', 'signed-out', 'no-orgs', 'manage'].forEach((id) => { $(id).hidden = id !== section; });
}

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// --- signing in: authorization code + PKCE (S256), tokens in memory only -----------------------

async function signIn() {
  if (!window.crypto?.subtle) {
    showError('Signing in needs a secure connection (HTTPS, or localhost).');
    show('signed-out');
    return;
  }
  const flow = { verifier: randomString(48), state: randomString(16), nonce: randomString(16) };
  sessionStorage.setItem(FLOW_KEY, JSON.stringify(flow));
  const url = new URL(`${oidcUrl}/auth`);
  url.search = new URLSearchParams({
    response_type: 'code',
    response_mode: 'fragment', // the code never reaches a server log or a Referer header
    client_id: config.clientId,
    redirect_uri: pageUrl,
    scope: 'openid',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await sha256(flow.verifier),
    code_challenge_method: 'S256',
  });
  window.location.assign(url.toString());
}

/** Finishes a sign-in when Keycloak has just sent the browser back here; true if it did. */
async function completeSignIn() {
  const answer = new URLSearchParams(window.location.hash.slice(1));
  if (!answer.has('code') && !answer.has('error')) return false;
  window.history.replaceState(null, '', pageUrl);
  const flow = JSON.parse(sessionStorage.getItem(FLOW_KEY) || 'null');
  sessionStorage.removeItem(FLOW_KEY);
  if (answer.has('error')) {
    throw new Error(`Sign-in did not complete: ${answer.get('error_description') || answer.get('error')}.`);
  }
  if (!flow || answer.get('state') !== flow.state) {
    throw new Error('Sign-in did not complete: the answer does not belong to this sign-in. Please sign in again.');
  }
  const reply = await tokenRequest({
    grant_type: 'authorization_code',
    code: answer.get('code'),
    redirect_uri: pageUrl,
    code_verifier: flow.verifier,
  });
  if (claims(reply.id_token).nonce !== flow.nonce) {
    throw new Error('Sign-in did not complete: unexpected ID token. Please sign in again.');
  }
  keep(reply);
  sessionStorage.setItem(AUTO_KEY, '1');
  return true;
}

async function tokenRequest(form) {
  const response = await fetch(`${oidcUrl}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.clientId, ...form }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(body.error_description || body.error || `Keycloak answered ${response.status}.`, response.status);
  }
  return body;
}

function keep(reply) {
  tokens = {
    access: reply.access_token,
    refresh: reply.refresh_token,
    idToken: reply.id_token || tokens?.idToken,
    expiresAt: Date.now() + (reply.expires_in || 60) * 1000,
  };
}

/** A current access token, refreshed shortly before it expires. */
async function accessToken() {
  if (!tokens) throw new ApiError('You are signed out.', 401);
  if (tokens.expiresAt - Date.now() < 30_000) {
    try {
      keep(await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh }));
    } catch {
      signedOut('Your session has ended. Please sign in again.');
      throw new ApiError('Your session has ended.', 401);
    }
  }
  return tokens.access;
}

function signedOut(message) {
  tokens = null;
  sessionStorage.removeItem(AUTO_KEY);
  $('who').textContent = '';
  $('sign-out').hidden = true;
  show('signed-out');
  showError(message);
}

function signOut() {
  const url = new URL(`${oidcUrl}/logout`);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    post_logout_redirect_uri: pageUrl,
    ...(tokens?.idToken ? { id_token_hint: tokens.idToken } : {}),
  });
  tokens = null;
  sessionStorage.removeItem(AUTO_KEY);
  window.location.assign(url.toString());
}

// --- the organization API -----------------------------------------------------------------------

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${await accessToken()}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${realmUrl}/orgs${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401) signedOut('Your session has ended. Please sign in again.');
    throw new ApiError(data?.error_description || `The server answered ${response.status}.`, response.status);
  }
  return data;
}

const keysPath = (suffix = '') => `/${encodeURIComponent(currentOrg.id)}/api-keys${suffix}`;

// --- organizations and keys -----------------------------------------------------------------------

async function loadOrganizations() {
  show('loading');
  organizations = (await api('GET', '')).sort((a, b) => (a.name || a.alias).localeCompare(b.name || b.alias));
  if (organizations.length === 0) {
    currentOrg = null;
    show('no-orgs');
    return;
  }
  const select = $('org');
  select.replaceChildren(...organizations.map((org) => element('option', { value: org.id },
    org.name && org.name !== org.alias ? `${org.name} (${org.alias})` : org.alias)));
  const remembered = organizations.find((org) => org.id === sessionStorage.getItem(ORG_KEY));
  await pickOrganization((remembered || organizations[0]).id);
}

async function pickOrganization(id) {
  currentOrg = organizations.find((org) => org.id === id);
  $('org').value = currentOrg.id;
  $('org-name').textContent = currentOrg.name || currentOrg.alias;
  sessionStorage.setItem(ORG_KEY, currentOrg.id);
  await loadKeys();
  show('manage');
}

async function loadKeys() {
  const keys = await api('GET', keysPath('?max=1000'));
  const byId = new Map(keys.map((key) => [key.id, key]));
  const predecessors = new Map(keys.filter((key) => key.rotatedTo).map((key) => [key.rotatedTo, key]));
  $('key-rows').replaceChildren(...keys.map((key) => keyRow(key, byId, predecessors)));
  $('keys').hidden = keys.length === 0;
  $('no-keys').hidden = keys.length !== 0;
}

function grants(permissions) {
  const order = [...config.resources, ...Object.keys(permissions || {}).filter((r) => !config.resources.includes(r))];
  const granted = order
    .map((resource) => [resource, GRANT_NAMES.filter((flag) => permissions?.[resource]?.[flag])])
    .filter(([, flags]) => flags.length > 0);
  if (granted.length === 0) return element('span', { className: 'muted' }, 'None');
  return element('ul', { className: 'grants' },
    ...granted.map(([resource, flags]) => element('li', {}, element('code', {}, resource), ` ${flags.join(', ')}`)));
}

/** A table cell that carries its column's name, shown beside the value where the header row is hidden (phones). */
function cell(label, properties, ...children) {
  return element('td', { className: `pf-v5-c-table__td ${properties.className || ''}`.trim(), dataset: { label } },
    element('span', { className: 'cell-label', 'aria-hidden': 'true' }, `${label}: `), ...children);
}

/** A link to another row of the list (the successor or predecessor of a rotation). */
function rowLink(key) {
  return element('a', {
    href: `#key-${key.id}`,
    className: 'row-link',
    onclick: (event) => {
      event.preventDefault(); // the URL fragment is the sign-in's: leave it alone
      const row = document.getElementById(`key-${key.id}`);
      row.scrollIntoView({ block: 'center' });
      row.classList.add('highlight');
      row.focus();
      setTimeout(() => row.classList.remove('highlight'), 2000);
    },
  }, element('code', {}, `${key.prefix}…`));
}

function expiryCell(key, successor) {
  if (key.rotatedTo) {
    return cell('Expires', { className: 'grace' },
      element('span', { className: 'pf-v5-c-label pf-m-orange grace-marker' },
        element('span', { className: 'pf-v5-c-label__content' }, element('span', {}, 'Rotated, stops at ', time(key.expiresAt)))),
      successor ? element('span', { className: 'successor' }, 'Replaced by ', rowLink(successor)) : null);
  }
  if (!key.expiresAt) return cell('Expires', {}, element('span', { className: 'muted' }, 'Never expires'));
  const left = new Date(key.expiresAt) - new Date();
  const expired = left <= 0;
  const soon = !expired && left <= EXPIRING_SOON_MS;
  return cell('Expires', {}, element('span', { className: expired ? 'expired' : '' }, expired ? 'Expired ' : '', time(key.expiresAt)),
    soon ? element('span', { className: 'pf-v5-c-label pf-m-gold expiring-soon' },
      element('span', { className: 'pf-v5-c-label__content' }, 'Expires soon')) : null);
}

const SVG = 'http://www.w3.org/2000/svg';
const countFormat = new Intl.NumberFormat('en-US');

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, String(value)));
  node.append(...children);
  return node;
}

/**
 * The key's last 30 days as bars, oldest left: uses, with refusals stacked on top in red. Built
 * with DOM calls and classes (the page's CSP allows no inline styles); the label says it in words.
 */
function sparkline(usage) {
  const days = usage && Array.isArray(usage.days) ? [...usage.days].reverse() : [];
  if (days.length === 0) return null;
  const used = days.reduce((sum, d) => sum + Math.max(0, d.used), 0);
  const refused = days.reduce((sum, d) => sum + d.refused, 0);
  const label = `${countFormat.format(used)} ${used === 1 ? 'use' : 'uses'}, ${countFormat.format(refused)} refused in 30 days`;
  const height = 20;
  const bar = 3;
  const peak = Math.max(1, ...days.map((d) => Math.max(0, d.used) + d.refused));
  const bars = [];
  days.forEach((d, i) => {
    const usedHeight = (Math.max(0, d.used) / peak) * height;
    const refusedHeight = (d.refused / peak) * height;
    const x = i * (bar + 1);
    if (usedHeight > 0) bars.push(svg('rect', { x, y: height - usedHeight, width: bar, height: usedHeight, class: 'spark-used' }));
    if (refusedHeight > 0) {
      bars.push(svg('rect', { x, y: height - usedHeight - refusedHeight, width: bar, height: refusedHeight, class: 'spark-refused' }));
    }
  });
  const width = days.length * (bar + 1) - 1;
  return svg('svg', { class: 'sparkline', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label },
    svg('title', {}, label),
    svg('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: 'spark-base' }),
    ...bars);
}

function keyRow(key, byId, predecessors) {
  const label = `${key.prefix}… (${key.description})`;
  const successor = key.rotatedTo ? byId.get(key.rotatedTo) : null;
  const predecessor = predecessors.get(key.id);
  return element('tr', { id: `key-${key.id}`, className: 'pf-v5-c-table__tr', tabIndex: -1, dataset: { keyId: key.id } },
    cell('Prefix', {}, element('code', { className: 'prefix' }, `${key.prefix}…`)),
    cell('Description', { className: 'description' }, key.description,
      predecessor ? element('span', { className: 'predecessor' }, 'Replaces ', rowLink(predecessor)) : null),
    cell('Permissions', {}, grants(key.permissions)),
    cell('Created', {}, time(key.createdAt)),
    cell('Last used', { className: 'last-used' }, key.lastUsedAt ? time(key.lastUsedAt) : element('span', { className: 'muted' }, 'Never used'),
      sparkline(key.usage)),
    expiryCell(key, successor),
    element('td', { className: 'pf-v5-c-table__td row-actions' }, element('div', { className: 'row-buttons' },
      key.rotatedTo ? null // already rotated: it only runs out its grace (revoking ends it early)
        : element('button', { type: 'button', className: 'pf-v5-c-button pf-m-secondary', onclick: () => openRotate(key), 'aria-label': `Rotate ${label}` }, 'Rotate'),
      element('button', { type: 'button', className: 'pf-v5-c-button pf-m-secondary pf-m-danger danger', onclick: () => openRevoke(key), 'aria-label': `Revoke ${label}` }, 'Revoke'))));
}

// --- create -----------------------------------------------------------------------------------------

function permissionRows() {
  $('permission-rows').replaceChildren(...config.resources.map((resource) => element('tr', {},
    element('th', { scope: 'row' }, element('code', {}, resource)),
    ...GRANT_NAMES.map((flag) => element('td', {},
      element('input', { type: 'checkbox', name: `${resource}.${flag}`, 'aria-label': `${resource} ${flag}` }))))));
}

function openDialog(dialog) {
  lastFocus = document.activeElement;
  dialog.showModal();
}

function closeDialog(dialog) {
  dialog.close();
}

function restoreFocus() {
  if (lastFocus && document.contains(lastFocus)) lastFocus.focus();
  else $('main').focus();
}

function openCreate() {
  const form = $('create-form');
  form.reset();
  fieldError('description', '');
  fieldError('expires', '');
  applyLifetimePolicy();
  showError('', form.querySelector('.form-error'));
  openDialog($('create-dialog'));
  $('description').focus();
}

function fieldError(id, message) {
  $(`${id}-error`).textContent = message;
  $(id).setAttribute('aria-invalid', message ? 'true' : 'false');
}

async function submitCreate(event) {
  event.preventDefault();
  const form = event.target;
  const description = $('description').value.trim();
  fieldError('description', description ? '' : 'Enter a description, e.g. what uses this key.');
  const expiresAt = chosenExpiry();
  const invalid = form.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return;
  }
  const permissions = {};
  config.resources.forEach((resource) => {
    permissions[resource] = Object.fromEntries(GRANT_NAMES.map((flag) => [flag, form.elements[`${resource}.${flag}`].checked]));
  });
  await busy(form, async () => {
    const created = await api('POST', keysPath(), { description, permissions, ...(expiresAt ? { expiresAt } : {}) });
    closeDialog($('create-dialog'));
    showSecret(created.key, 'Your new API key');
    announce(`API key ${created.prefix}… created.`);
    await loadKeys();
  });
}

/**
 * The expiry presets within the realm's lifetime policy (config.json): presets beyond the maximum
 * are left out, "No expiry" only when nothing requires one; the longest allowed preset is chosen.
 * An organization's tighter policy is enforced by the server, whose 400 the form shows.
 */
function applyLifetimePolicy() {
  const { maxDays, requireExpiry } = config.keyLifetime || {};
  const select = $('expiry-preset');
  [...select.options].forEach((option) => {
    const days = Number(option.value);
    option.hidden = option.disabled = option.value === 'never' ? Boolean(requireExpiry || maxDays)
      : Number.isFinite(days) && maxDays != null && days > maxDays;
  });
  const allowed = [...select.options].filter((o) => !o.disabled);
  const fallback = allowed.find((o) => o.value === 'never') || allowed.filter((o) => Number.isFinite(Number(o.value))).pop()
    || allowed.find((o) => o.value === 'custom');
  select.value = fallback.value;
  $('expiry-policy').textContent = maxDays ? `Keys may live at most ${maxDays} days.` : requireExpiry ? 'Keys must expire.' : '';
  if (maxDays) {
    $('expires').max = localInput(new Date(Date.now() + maxDays * 24 * 3600 * 1000));
  } else {
    $('expires').removeAttribute('max');
  }
  $('expires-field').hidden = select.value !== 'custom';
}

function localInput(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** The ISO expiry the form asks for (null: never); marks the custom field invalid when it is unusable. */
function chosenExpiry() {
  const preset = $('expiry-preset').value;
  fieldError('expires', '');
  if (preset === 'never') return null;
  if (preset !== 'custom') return new Date(Date.now() + Number(preset) * 24 * 3600 * 1000).toISOString();
  const maxDays = config.keyLifetime && config.keyLifetime.maxDays;
  const when = new Date($('expires').value);
  if (!$('expires').value || !(when > new Date())) {
    fieldError('expires', 'Pick a time in the future.');
  } else if (maxDays && when - new Date() > maxDays * 24 * 3600 * 1000) {
    fieldError('expires', `Pick a time within ${maxDays} days.`);
  }
  return when.toString() === 'Invalid Date' ? null : when.toISOString();
}

/** Runs an action with the form's buttons disabled; a refusal is shown in the form. */
async function busy(form, action) {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  showError('', form.querySelector('.form-error'));
  try {
    await action();
  } catch (e) {
    showError(e.message, form.querySelector('.form-error'));
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

// --- the one-time secret ---------------------------------------------------------------------------

function showSecret(key, title) {
  $('secret-title').textContent = title;
  $('secret').value = key;
  $('copy-status').textContent = '';
  $('secret-dialog').showModal();
  $('secret').focus();
  $('secret').select();
}

async function copySecret() {
  const input = $('secret');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select(); // no clipboard API (e.g. plain HTTP): the selection can still be copied
    if (!document.execCommand('copy')) {
      $('copy-status').textContent = 'Copy failed: the key is selected, press Ctrl+C (⌘C).';
      return;
    }
  }
  $('copy-status').textContent = 'Copied to the clipboard.';
}

function forgetSecret() {
  $('secret').value = ''; // gone from the page once the dialog closes
  $('copy-status').textContent = '';
  restoreFocus();
}

// --- rotate and revoke -------------------------------------------------------------------------------

function openRotate(key) {
  rotating = key;
  const form = $('rotate-form');
  form.reset();
  showError('', form.querySelector('.form-error'));
  $('rotate-prefix').textContent = `${key.prefix}…`;
  openDialog($('rotate-dialog'));
  form.querySelector('input[name="grace"]:checked').focus();
}

async function submitRotate(event) {
  event.preventDefault();
  const form = event.target;
  const gracePeriodSeconds = Number(form.elements.grace.value);
  await busy(form, async () => {
    const successor = await api('POST', keysPath(`/${encodeURIComponent(rotating.id)}/rotate`), { gracePeriodSeconds });
    closeDialog($('rotate-dialog'));
    showSecret(successor.key, 'Your rotated API key');
    announce(`API key ${rotating.prefix}… rotated: the new key is ${successor.prefix}…`);
    await loadKeys();
  });
}

function openRevoke(key) {
  revoking = key;
  const form = $('revoke-form');
  showError('', form.querySelector('.form-error'));
  $('revoke-prefix').textContent = `${key.prefix}…`;
  $('revoke-description').textContent = key.description;
  openDialog($('revoke-dialog'));
  form.querySelector('.cancel').focus(); // the safe choice first
}

async function submitRevoke(event) {
  event.preventDefault();
  const form = event.target;
  const key = revoking;
  await busy(form, async () => {
    try {
      await api('DELETE', keysPath(`/${encodeURIComponent(key.id)}`));
      announce(`API key ${key.prefix}… revoked.`);
    } catch (e) {
      if (e.status !== 404) throw e;
      announce('That key no longer exists.');
    }
    lastFocus = $('new-key');
    closeDialog($('revoke-dialog'));
    await loadKeys().catch((e) => showError(e.message));
  });
}

// --- start ---------------------------------------------------------------------------------------------

function wire() {
  $('sign-in').addEventListener('click', () => signIn().catch((e) => showError(e.message)));
  $('sign-out').addEventListener('click', signOut);
  $('org').addEventListener('change', (event) => {
    showError('');
    pickOrganization(event.target.value).catch((e) => showError(e.message));
  });
  $('new-key').addEventListener('click', openCreate);
  $('create-form').addEventListener('submit', submitCreate);
  ['description', 'expires'].forEach((id) => $(id).addEventListener('input', () => fieldError(id, '')));
  $('expiry-preset').addEventListener('change', () => {
    $('expires-field').hidden = $('expiry-preset').value !== 'custom';
    fieldError('expires', '');
  });
  $('rotate-form').addEventListener('submit', submitRotate);
  $('revoke-form').addEventListener('submit', submitRevoke);
  document.querySelectorAll('dialog .cancel').forEach((button) => {
    button.addEventListener('click', () => closeDialog(button.closest('dialog')));
  });
  ['create-dialog', 'rotate-dialog', 'revoke-dialog'].forEach((id) => $(id).addEventListener('close', restoreFocus));
  $('copy').addEventListener('click', copySecret);
  $('secret').addEventListener('focus', () => $('secret').select());
  $('secret-done').addEventListener('click', () => {
    $('secret').value = '';
    closeDialog($('secret-dialog'));
  });
  $('secret-dialog').addEventListener('close', forgetSecret);
}

async function start() {
  wire();
  if (!here) {
    show('signed-out');
    showError('This page must be served at {keycloak}/realms/{realm}/api-keys-console/.');
    $('sign-in').disabled = true;
    return;
  }
  $('realm-name').textContent = realm;
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`Could not load the page's settings (${response.status}).`);
    config = await response.json();
    const realmName = config.realmDisplayName || realm;
    $('realm-name').textContent = realmName;
    document.title = `API keys · ${realmName}`;
    permissionRows();
    await completeSignIn();
  } catch (e) {
    sessionStorage.removeItem(AUTO_KEY);
    show('signed-out');
    showError(e.message);
    return;
  }
  if (!tokens) {
    if (sessionStorage.getItem(AUTO_KEY)) {
      await signIn(); // signed in before this reload: Keycloak's session sends us straight back
    } else {
      show('signed-out');
    }
    return;
  }
  const me = claims(tokens.idToken);
  $('who').textContent = me.preferred_username || me.email || me.name || '';
  $('sign-out').hidden = false;
  try {
    await loadOrganizations();
  } catch (e) {
    if (tokens) {
      show(null);
      showError(e.message);
    }
  }
}

start();
