// OpenAvathar Studio: plain JavaScript over the studio's JSON API and its event stream (no build step).
'use strict';

const $ = (id) => document.getElementById(id);
let state = null;
const jobs = new Map();      // job id -> last view from the server
const etas = new Map();      // job id -> {t0, f0} from the first generating step
const bootStages = new Map(); // job id -> stage messages while the pod starts
const uploads = { image: null, audio: null };
const estimates = new Map(); // job id -> the estimate shown when it was started
let lastEstimate = null;     // the estimate for the chosen inputs
let countdown = null;

async function api(method, path, body, raw) {
  const init = { method, headers: {} };
  if (method !== 'GET') {
    init.headers['X-CSRF-Token'] = state ? state.csrf : '';
  }
  if (raw) {
    init.body = raw;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const json = await res.json().catch(() => ({ error: 'The studio answered ' + res.status + '.' }));
  if (!res.ok) {
    const e = new Error(json.error || ('The studio answered ' + res.status + '.'));
    e.status = res.status;
    e.body = json;
    throw e;
  }
  return json;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function say(id, text) { $(id).textContent = text || ''; }

function money(x) { return x > 0 && x < 0.005 ? 'under $0.01' : '$' + Number(x).toFixed(2); }

function gpuName(id) { return (id || '').replace(/^NVIDIA (GeForce )?/, ''); }

function clock(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
  return h + ':' + String(m).padStart(2, '0') + ':' + String(s).padStart(2, '0');
}

function minutesSeconds(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  const m = Math.floor(seconds / 60), s = seconds % 60;
  return (m > 0 ? m + ' min ' : '') + s + ' s';
}

// ---- pages -------------------------------------------------------------------------------------------------------

const PAGES = ['studio', 'videos', 'settings', 'pods'];

function showPage() {
  const page = PAGES.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'studio';
  for (const p of PAGES) {
    $('page-' + p).hidden = p !== page;
    if (p === page) $('nav-' + p).setAttribute('aria-current', 'page');
    else $('nav-' + p).removeAttribute('aria-current');
  }
  if (page === 'videos') loadVideos();
  if (page === 'pods') loadPods();
  if (page === 'settings') renderSettings();
  if (page === 'studio') loadPodChoice();
}

// ---- state: backend, license, idle stop --------------------------------------------------------------------------

async function loadState() {
  state = await api('GET', '/api/state');
  renderState();
}

function renderState() {
  $('demo-banner').hidden = !state.demo;
  $('setup').hidden = state.configured;
  if (state.demo && !state.configured && !$('runpod-key').value) $('runpod-key').value = 'any-key-works-in-the-demo';
  $('create').hidden = !state.configured;
  const lic = state.license || {};
  $('plan-badge').hidden = !lic.pro;
  const banner = $('limit-banner');
  if (!lic.unlimited && !lic.pro && lic.limit !== undefined) {
    banner.hidden = false;
    banner.textContent = 'Free: ' + Math.max(0, lic.limit - lic.used) + ' of ' + lic.limit + ' videos today';
  } else if (lic.error) {
    banner.hidden = false;
    banner.textContent = 'License server: ' + lic.error;
  } else {
    banner.hidden = true;
  }
  $('idle-note').hidden = !state.idleNote;
  $('idle-note').textContent = state.idleNote || '';
  if (!$('page-settings').hidden) renderSettings();
  loadPodChoice();
}

// ---- first visit -------------------------------------------------------------------------------------------------

async function saveSettings(values, errorId) {
  for (const f of document.querySelectorAll('[data-setting]')) f.removeAttribute('aria-invalid');
  try {
    state = await api('POST', '/api/settings', values);
    say(errorId, '');
    renderState();
    return true;
  } catch (e) {
    say(errorId, e.message);
    const field = e.body && e.body.field && document.querySelector('[data-setting="' + e.body.field + '"]');
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', errorId);
      field.focus();
    }
    return false;
  }
}

$('setup-runpod').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (await saveSettings({ 'runpod-api-key': $('runpod-key').value }, 'setup-error')) {
    $('runpod-key').value = '';
    $('image-input').focus();
  }
});

$('setup-comfy').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  await saveSettings({ 'comfy-url': $('comfy-url').value }, 'setup-error');
});

// ---- inputs ------------------------------------------------------------------------------------------------------

async function upload(kind, file) {
  const errorId = kind + '-error', infoId = kind + '-info';
  uploads[kind] = null;
  updateGenerate();
  say(errorId, '');
  say(infoId, '');
  if (kind === 'image') {
    const img = $('image-preview');
    if (img.src) URL.revokeObjectURL(img.src);
    img.src = URL.createObjectURL(file);
    img.hidden = false;
  }
  if (file.size > state.limits[kind]) {
    say(errorId, 'This file is larger than ' + Math.floor(state.limits[kind] / 1e6) + ' MB, the most the studio'
      + ' accepts. Choose a smaller file.');
    return;
  }
  say(infoId, 'Checking ' + file.name + ' ...');
  try {
    const info = await api('POST', '/api/uploads?kind=' + kind + '&name=' + encodeURIComponent(file.name), undefined,
      file);
    uploads[kind] = info;
    say(infoId, kind === 'image'
      ? file.name + ': ' + info.width + ' x ' + info.height + ' px'
      : file.name + ': ' + (info.durationMillis / 1000).toFixed(1) + ' s of speech');
  } catch (e) {
    say(infoId, '');
    say(errorId, e.message);
  }
  updateGenerate();
  estimate();
}

for (const kind of ['image', 'audio']) {
  $(kind + '-input').addEventListener('change', (ev) => {
    if (ev.target.files.length) upload(kind, ev.target.files[0]);
  });
  const drop = $(kind + '-drop');
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('dragover'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragover'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('dragover');
    if (ev.dataTransfer.files.length) upload(kind, ev.dataTransfer.files[0]);
  });
}

function updateGenerate() {
  $('generate').disabled = !(uploads.image && uploads.audio);
}

// What the chosen inputs will cost, from the SDK's estimate, before anything starts.
async function estimate() {
  lastEstimate = null;
  say('estimate', '');
  if (!uploads.image || !uploads.audio) return;
  const asked = { image: uploads.image.id, audio: uploads.audio.id,
    pod: $('pod-choice').hidden ? '' : $('pod-select').value };
  try {
    const e = await api('POST', '/api/estimate', asked);
    if (!uploads.image || uploads.image.id !== asked.image || !uploads.audio || uploads.audio.id !== asked.audio) return;
    lastEstimate = e;
    say('estimate', estimateText(e));
  } catch (e) {
    // The estimate is a help; Generate still works (and says what is wrong).
  }
}

function estimateText(e) {
  if (e.error) return 'No estimate: ' + e.error;
  const gpuTime = 'about ' + minutesSeconds(e.gpuSeconds.expected) + ' of GPU time';
  if (!e.costUsd) {
    return 'Made on your own ComfyUI server: its price is unknown to the studio, so no cost is shown (' + gpuTime + ').';
  }
  const c = e.costUsd;
  const around = 'about ' + money(c.expected) + ' (' + money(c.low) + '-' + money(c.high) + ')';
  if (e.podMustStart) {
    return 'Starting your studio (1-2 min) and making this video: ' + around + ' on ' + gpuName(e.gpuType) + ' at '
      + money(e.pricePerHour) + '/h, billed by RunPod.';
  }
  return 'This video: about ' + money(c.expected) + '.';
}

// ---- pod selector (two or more ready pods) -----------------------------------------------------------------------

async function loadPodChoice() {
  if (!state || state.backend !== 'runpod') {
    $('pod-choice').hidden = true;
    return;
  }
  try {
    const { pods } = await api('GET', '/api/pods');
    const ready = pods.filter((p) => p.ready);
    const select = $('pod-select');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '', text: 'Any free pod' }),
      ...ready.map((p) => el('option', { value: p.id,
        text: 'Pod ' + p.name + ' (' + (p.jobs ? 'busy, ' + p.jobs + ' job' + (p.jobs > 1 ? 's' : '') : 'idle') + ')' })));
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
    $('pod-choice').hidden = ready.length < 2;
  } catch (e) {
    $('pod-choice').hidden = true;
  }
}

// ---- generate ----------------------------------------------------------------------------------------------------

$('generate').addEventListener('click', async () => {
  say('generate-error', '');
  const lic = state.license || {};
  if (!lic.unlimited && !lic.pro && lic.canGenerate === false) {
    openLimitDialog(lic.resetsInSeconds, lic.upgradeUrl);
    return;
  }
  $('generate').disabled = true;
  try {
    const shown = lastEstimate;
    const job = await api('POST', '/api/generate', { image: uploads.image.id, audio: uploads.audio.id,
      pod: $('pod-choice').hidden ? '' : $('pod-select').value });
    if (shown) estimates.set(job.id, shown);
    showJob(job);
    // The job's first event may have opened the overlay before this answer came: show this job's estimate now.
    if (shown && bootStages.has(job.id)) bootCost(job.id);
    loadState();
    estimate(); // the next video may find a pod ready
  } catch (e) {
    if (e.status === 402) openLimitDialog(e.body.resetsInSeconds, e.body.upgradeUrl);
    else if (e.body && e.body.refusal) openRefusal(e.body.refusal);
    else say('generate-error', e.message);
  } finally {
    updateGenerate();
  }
});

function openLimitDialog(resetsInSeconds, upgradeUrl) {
  const end = Date.now() + resetsInSeconds * 1000;
  const tick = () => say('limit-reset', 'Your free video comes back in ' + clock((end - Date.now()) / 1000) + '.');
  tick();
  clearInterval(countdown);
  countdown = setInterval(tick, 1000);
  // Without a checkout page, Upgrade leads to Settings, where a bought key is entered.
  const link = $('limit-upgrade');
  link.href = upgradeUrl || '#settings';
  if (upgradeUrl) link.target = '_blank'; else link.removeAttribute('target');
  $('limit-dialog').showModal();
}

// A job the money guards refused (over the daily cap, no GPU within the settings): say why, link to Settings.
function openRefusal(refusal) {
  $('refusal-dialog').dataset.kind = refusal.kind;
  say('refusal-title', refusal.kind === 'gpu' ? 'No GPU for this video right now' : 'This video was not started');
  say('refusal-message', refusal.message);
  if (!$('refusal-dialog').open) $('refusal-dialog').showModal();
}

$('refusal-close').addEventListener('click', () => $('refusal-dialog').close());
$('refusal-settings').addEventListener('click', () => $('refusal-dialog').close());
$('pod-select').addEventListener('change', estimate);

$('limit-wait').addEventListener('click', () => $('limit-dialog').close());
$('limit-upgrade').addEventListener('click', () => $('limit-dialog').close());
$('limit-dialog').addEventListener('close', () => clearInterval(countdown));

// ---- jobs and live progress --------------------------------------------------------------------------------------

function showJob(job) {
  const known = jobs.get(job.id);
  // A job list fetched before the job ended can arrive after its end event: an ended job never goes back.
  if (known && known.terminal && !job.terminal) return;
  jobs.set(job.id, job);
  $('jobs').hidden = false;
  let li = document.querySelector('li[data-job-id="' + job.id + '"]');
  if (!li) {
    li = el('li', { 'data-job-id': job.id, class: 'job' },
      el('div', { class: 'job-line' }, el('strong', { class: 'job-stage' }), el('span', { class: 'job-percent' })),
      el('progress', { max: '100', value: '0', 'aria-label': 'Progress' }),
      el('div', { class: 'job-line' }, el('span', { class: 'job-message hint' }), el('span', { class: 'job-eta hint' })),
      el('p', { class: 'job-error error', role: 'alert' }),
      el('div', { class: 'job-result' }),
      el('button', { type: 'button', class: 'job-cancel', text: 'Cancel',
        onclick: () => api('POST', '/api/jobs/' + job.id + '/cancel', {}).catch((e) => say('generate-error', e.message)) }));
    $('job-list').prepend(li);
  }
  const pct = Math.floor(job.fraction * 100);
  li.dataset.state = job.state;
  // Every state this page saw the job in, in order (for people reading the DOM, and for the browser tests).
  const seen = (li.dataset.states || '').split(' ').filter(Boolean);
  if (seen[seen.length - 1] !== job.state) li.dataset.states = seen.concat(job.state).join(' ');
  if (job.podId) li.dataset.podId = job.podId;
  li.querySelector('.job-stage').textContent = job.state === 'COMPLETED' ? 'Done'
    : job.state === 'CANCELLED' ? 'Cancelled' : job.state === 'FAILED' ? 'Failed' : job.stage;
  li.querySelector('.job-percent').textContent = pct + '%';
  li.querySelector('progress').value = pct;
  li.querySelector('.job-message').textContent = job.terminal ? '' : job.message;
  li.querySelector('.job-eta').textContent = job.terminal ? '' : eta(job);
  li.querySelector('.job-error').textContent = job.state === 'FAILED' ? (job.error || '') : '';
  if (job.refusal && !li.dataset.refused) openRefusal(job.refusal);
  if (job.refusal) li.dataset.refused = job.refusal.kind;
  li.querySelector('.job-cancel').hidden = job.terminal;
  const result = li.querySelector('.job-result');
  if (job.state === 'COMPLETED' && job.videoId && !result.firstChild) {
    const src = '/api/videos/' + job.videoId + '/file';
    result.append(el('video', { controls: true, src, preload: 'metadata', 'aria-label': 'Your video' }),
      el('a', { class: 'button primary job-download', href: src + '?download=1', download: 'avatar.mp4',
        text: 'Download' }));
  }
  boot(job);
}

function eta(job) {
  if (job.state !== 'GENERATING' || job.fraction <= 0.06) return '';
  const now = Date.now();
  if (!etas.has(job.id)) { etas.set(job.id, { t0: now, f0: job.fraction }); return ''; }
  const { t0, f0 } = etas.get(job.id);
  if (job.fraction - f0 < 0.01) return '';
  const left = (now - t0) / 1000 / (job.fraction - f0) * (1 - job.fraction);
  return 'about ' + minutesSeconds(left) + ' left';
}

// The overlay shows the pod's real boot stages while a job waits for one, and the expected cost.
function boot(job) {
  if (job.state === 'WAITING_FOR_POD' && state && state.backend === 'runpod') {
    const stages = bootStages.get(job.id) || [];
    if (job.message && stages[stages.length - 1] !== job.message) stages.push(job.message);
    bootStages.set(job.id, stages);
    $('boot-stages').replaceChildren(...stages.map((s) => el('li', { text: s })));
    if ($('boot-overlay').hidden) {
      $('boot-overlay').hidden = false;
      bootCost(job.id);
    }
  } else if (bootStages.has(job.id)) {
    bootStages.delete(job.id);
    if (bootStages.size === 0) $('boot-overlay').hidden = true;
  }
}

let bootTicket = 0;

async function bootCost(jobId) {
  const ticket = ++bootTicket;
  say('boot-cost', '');
  const e = estimates.get(jobId);
  if (e && e.costUsd) {
    say('boot-cost', 'This video, with the start: about ' + money(e.costUsd.expected) + ' (' + money(e.costUsd.low)
      + '-' + money(e.costUsd.high) + ') on ' + gpuName(e.gpuType) + ' at ' + money(e.pricePerHour) + '/h, billed by'
      + ' RunPod. The GPU stops by itself after ' + state.idleMinutes + ' min unused.');
    return;
  }
  try {
    // A job this page did not start (a restart, another tab): the GPU's hourly price.
    const { gpus } = await api('GET', '/api/gpus');
    const gpu = gpus.find((g) => g.id === 'NVIDIA GeForce RTX 4090') || gpus[0];
    if (ticket === bootTicket && gpu && gpu.pricePerHour !== undefined) {
      say('boot-cost', 'Expected cost: about ' + money(gpu.pricePerHour) + ' per hour while the GPU (' + gpu.name
        + ') runs, billed by RunPod. It stops by itself after ' + state.idleMinutes + ' min unused.');
    }
  } catch (e) {
    // The price is a nicety; the job goes on.
  }
}

async function loadJobs() {
  const list = await api('GET', '/api/jobs');
  for (const j of list.jobs.slice().reverse()) {
    if (!j.terminal || jobs.has(j.id)) showJob(j);
  }
}

function listen() {
  const events = new EventSource('/api/events');
  events.addEventListener('job', (ev) => {
    const job = JSON.parse(ev.data);
    showJob(job);
    if (job.terminal) {
      loadState();
      if (!$('page-videos').hidden) loadVideos();
    }
  });
  events.addEventListener('changed', (ev) => {
    const what = JSON.parse(ev.data).what;
    loadState();
    if (what === 'pods' && !$('page-pods').hidden) loadPods();
    if (what === 'videos' && !$('page-videos').hidden) loadVideos();
  });
}

// ---- videos ------------------------------------------------------------------------------------------------------

async function loadVideos() {
  let videos;
  try {
    videos = (await api('GET', '/api/videos')).videos;
  } catch (e) {
    return;
  }
  $('videos-empty').hidden = videos.length > 0;
  $('video-list').replaceChildren(...videos.map(videoItem));
}

function videoItem(v) {
  const src = '/api/videos/' + v.id + '/file';
  const when = new Date(v.createdAt);
  const gpuTime = v.gpuSeconds > 0 ? minutesSeconds(v.gpuSeconds) + ' of GPU time' : '';
  const cost = v.costUsd !== undefined ? money(v.costUsd) + (gpuTime ? ' (' + gpuTime + ' at ' + money(v.pricePerHour)
    + '/h)' : '')
    : (gpuTime ? gpuTime + ', ' : '') + 'cost unknown (own ComfyUI server or imported)';
  const li = el('li', { 'data-video-id': v.id },
    v.poster ? el('img', { class: 'poster', src: '/api/uploads/' + v.poster, alt: 'Portrait of this video' })
      : el('span', { class: 'poster' }),
    el('div', {},
      el('div', { text: (v.durationMillis / 1000).toFixed(1) + ' s video' }),
      el('div', { class: 'meta', text: when.toLocaleString() }),
      el('div', { class: 'meta video-cost', text: cost }),
      el('button', { type: 'button', class: 'video-play', text: 'Play', onclick: () => {
        if (!li.querySelector('video')) li.append(el('video', { controls: true, src, autoplay: true }));
      } }),
      el('a', { class: 'button video-download', href: src + '?download=1', download: 'avatar.mp4', text: 'Download' }),
      v.canMakeAgain ? el('button', { type: 'button', class: 'video-again', text: 'Make again', onclick: async () => {
        try {
          showJob(await api('POST', '/api/videos/' + v.id + '/again', {}));
          location.hash = '#studio';
        } catch (e) {
          if (e.status === 402) openLimitDialog(e.body.resetsInSeconds, e.body.upgradeUrl);
        }
      } }) : null,
      el('button', { type: 'button', class: 'video-delete', text: 'Delete', onclick: async () => {
        if (confirm('Delete this video from this computer?')) {
          await api('POST', '/api/videos/' + v.id + '/delete', {});
          loadVideos();
        }
      } })));
  return li;
}

// ---- settings ----------------------------------------------------------------------------------------------------

function renderSettings() {
  if (!state) return;
  const lic = state.license || {};
  say('license-status', lic.unlimited ? 'No license server: unlimited videos.'
    : lic.pro ? 'Pro: unlimited videos' + (lic.key ? ' (' + lic.key + ')' : '') + '.'
    : lic.error ? lic.error
    : 'Free: ' + lic.used + ' of ' + lic.limit + ' videos used today.');
  $('license-devices').hidden = lic.devicesUsed === undefined;
  say('license-devices', lic.devicesUsed !== undefined
    ? 'Devices: ' + lic.devicesUsed + ' of ' + lic.devicesMax + ' used.' : '');
  $('license-form').hidden = !!lic.pro || !!lic.unlimited;
  $('deactivate-license').hidden = !lic.pro;
  say('backend-now', state.backend === 'runpod' ? 'RunPod, with the key ' + state.runpodKey + '.'
    : state.backend === 'comfy' ? 'Your own ComfyUI at ' + state.comfyUrl + '.' : 'Not chosen yet.');
  $('forget-runpod-key').hidden = state.backend !== 'runpod';
  $('demo-key').hidden = !state.demoLicenseKey;
  say('demo-key', state.demoLicenseKey ? 'Demo: try Pro with the key ' + state.demoLicenseKey + ' (valid on'
    + ' this demo\'s license server only).' : '');
  if (document.activeElement !== $('license-url')) $('license-url').value = state.licenseUrl || '';
  if (document.activeElement !== $('idle-minutes')) $('idle-minutes').value = state.idleMinutes;
  renderGpuSettings();
}

function renderGpuSettings() {
  const gpu = state.gpu || {};
  const defaults = gpu.defaults || {};
  $('min-vram').placeholder = defaults['min-vram'] + ' (default)';
  $('max-price').placeholder = Number(defaults['max-price']).toFixed(2) + ' (default)';
  for (const key of ['min-vram', 'max-price', 'daily-cap']) {
    if (document.activeElement !== $(key)) $(key).value = gpu[key] || '';
  }
  let cloud = (gpu.cloud || '').replace(/\s+/g, '').toLowerCase();
  if (cloud === 'community,secure') cloud = '';
  if (![...$('cloud').options].some((o) => o.value === cloud)) $('cloud').append(el('option', { value: cloud, text: cloud }));
  if (document.activeElement !== $('cloud')) $('cloud').value = cloud;
}

$('gpu-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const values = {};
  for (const key of ['min-vram', 'max-price', 'cloud', 'daily-cap']) values[key] = $(key).value;
  if (await saveSettings(values, 'gpu-error')) {
    say('settings-saved', 'GPU and price saved.');
    estimate();
  }
});

$('license-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  say('license-error', '');
  try {
    state = await api('POST', '/api/license/activate', { key: $('license-key').value });
    $('license-key').value = '';
    renderState();
    say('settings-saved', 'Pro is active on this device.');
  } catch (e) {
    say('license-error', e.message);
  }
});

$('deactivate-license').addEventListener('click', async () => {
  say('license-error', '');
  try {
    state = await api('POST', '/api/license/deactivate', {});
    renderState();
    say('settings-saved', 'This device no longer uses the license key.');
  } catch (e) {
    say('license-error', e.message);
  }
});

$('runpod-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (await saveSettings({ 'runpod-api-key': $('settings-runpod-key').value }, 'settings-error')) {
    $('settings-runpod-key').value = '';
    say('settings-saved', 'RunPod key saved.');
  }
});

$('forget-runpod-key').addEventListener('click', async () => {
  if (await saveSettings({ 'runpod-api-key': '' }, 'settings-error')) say('settings-saved', 'RunPod key forgotten.');
});

$('comfy-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (await saveSettings({ 'comfy-url': $('settings-comfy-url').value }, 'settings-error')) {
    say('settings-saved', 'ComfyUI URL saved.');
  }
});

$('more-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (await saveSettings({ 'license-url': $('license-url').value, 'idle-minutes': $('idle-minutes').value },
    'settings-error')) {
    say('settings-saved', 'Saved.');
  }
});

// ---- pods --------------------------------------------------------------------------------------------------------

let logs = null;
let podRefresh = null;

async function loadPods() {
  say('pods-error', '');
  let answer;
  try {
    answer = await api('GET', '/api/pods');
  } catch (e) {
    say('pods-error', e.message);
    return;
  }
  say('pods-error', answer.error);
  $('pods-empty').hidden = answer.pods.length > 0 || !!answer.error;
  $('new-pod').hidden = !answer.managesPods;
  $('pod-list').replaceChildren(...answer.pods.map(podItem));
  // Booting pods change by themselves: look again while the page shows them.
  clearTimeout(podRefresh);
  if (answer.pods.some((p) => !p.ready && (p.status === 'PROVISIONING' || p.status === 'STARTING'
    || p.status === 'RUNNING'))) {
    podRefresh = setTimeout(() => { if (!$('page-pods').hidden) loadPods(); }, 1500);
  }
  if (answer.managesPods && $('new-pod-gpu').options.length === 0) {
    try {
      const { gpus } = await api('GET', '/api/gpus');
      $('new-pod-gpu').replaceChildren(...gpus.map((g) => el('option', { value: g.id,
        text: g.name + ' (' + g.memoryGb + ' GB' + (g.pricePerHour !== undefined ? ', ' + money(g.pricePerHour)
          + '/h' : '') + ')' })));
    } catch (e) {
      say('pods-error', e.message);
    }
  }
}

function podItem(p) {
  const action = (name, label) => el('button', { type: 'button', class: 'pod-' + name, text: label,
    onclick: async () => {
      say('pods-error', '');
      try {
        await api('POST', '/api/pods/' + p.id + '/' + name, {});
      } catch (e) {
        say('pods-error', e.message);
      }
      loadPods();
    } });
  return el('li', { 'data-pod-id': p.id, 'data-status': p.status },
    el('strong', { text: 'Pod ' + p.name }),
    el('div', { class: 'meta', text: p.status + (p.ready ? ' (ready)' : '') + ' · ' + (p.gpu || 'GPU unknown')
      + ' · ' + money(p.costPerHour) + '/h' + (p.costSoFarUsd !== undefined ? ' · ' + money(p.costSoFarUsd)
      + ' so far' : '') + ' · ' + p.jobs + ' job' + (p.jobs === 1 ? '' : 's') + ' running' }),
    el('button', { type: 'button', class: 'pod-logs', text: 'Logs', onclick: () => openLogs(p) }),
    p.status === 'RUNNING' ? action('stop', 'Stop') : action('start', 'Start'),
    action('terminate', 'Terminate'),
    p.ready ? action('import', 'Import its videos') : null);
}

function openLogs(p) {
  closeLogs();
  $('log-panel').hidden = false;
  say('log-title', 'Logs of pod ' + p.name);
  $('pod-logs').textContent = '';
  logs = new EventSource('/api/pods/' + p.id + '/logs');
  logs.addEventListener('log', (ev) => {
    const line = JSON.parse(ev.data);
    $('pod-logs').append(line.line + '\n');
  });
  logs.addEventListener('closed', () => closeLogs(true));
  $('pod-logs').focus();
}

function closeLogs(keepPanel) {
  if (logs) logs.close();
  logs = null;
  if (keepPanel !== true) $('log-panel').hidden = true;
}

$('close-logs').addEventListener('click', () => closeLogs());

$('new-pod').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  say('pods-error', '');
  $('create-pod').disabled = true;
  try {
    await api('POST', '/api/pods', { gpu: $('new-pod-gpu').value, cloud: $('new-pod-cloud').value });
  } catch (e) {
    say('pods-error', e.message);
    if (e.body && e.body.refusal) openRefusal(e.body.refusal);
  } finally {
    $('create-pod').disabled = false;
  }
  loadPods();
});

// ---- start -------------------------------------------------------------------------------------------------------

window.addEventListener('hashchange', showPage);

(async () => {
  await loadState();
  showPage();
  await loadJobs();
  listen();
  // The idle-stop countdown and the free count change with time: look again every 30 s.
  setInterval(() => loadState().catch(() => {}), 30000);
  document.body.dataset.ready = 'true';
})();
