// Demo product page: variant picker, quantity stepper and sign-in toggle driving the elements.
import {setShopperToken} from '/dist/cdn/bwp-elements.js';

// The sandbox's Login with Amazon shopper tokens (reference/bwp-api.md §1.4).
const TOKENS = {
  prime:
    'eyJ0eXBlIjoiQUNDRVNTX1RPS0VOIiwidmFsdWUiOiJzYW5kYm94LW1vY2tlZC10ZXN0LXByaW1lLXNob3BwZXItYWNjZXNzLXRva2VuIn0=',
  'non-prime': btoa(
    JSON.stringify({type: 'ACCESS_TOKEN', value: 'sandbox-mocked-test-non-prime-shopper-access-token'}),
  ),
};

const options = document.getElementById('options');
const elements = document.querySelectorAll('bwp-delivery-badge, bwp-offer-summary');
const swatch = document.querySelector('.swatch');
const log = document.getElementById('events');

function selectedSku() {
  const data = new FormData(options);
  return `TEE-${data.get('colour')}-${data.get('size')}`;
}

function show() {
  const sku = selectedSku();
  const quantity = String(Math.min(12, Math.max(1, Number(options.elements.quantity.value) || 1)));
  options.elements.quantity.value = quantity;
  swatch.className = `swatch ${new FormData(options).get('colour').toLowerCase()}`;
  for (const el of elements) {
    el.setAttribute('sku', sku);
    el.setAttribute('quantity', quantity);
  }
}

// A link like /?sku=TEE-CORAL-L preselects that variant.
const wanted = new URLSearchParams(location.search).get('sku')?.match(/^TEE-(.+)-(S|M|L|XL|XXL)$/);
if (wanted) {
  for (const [name, value] of [
    ['colour', wanted[1]],
    ['size', wanted[2]],
  ]) {
    const input = options.querySelector(`input[name="${name}"][value="${CSS.escape(value)}"]`);
    if (input) input.checked = true;
  }
  show();
}

options.addEventListener('change', show);
options.addEventListener('click', (event) => {
  const step = Number(event.target.closest('[data-step]')?.dataset.step);
  if (!step) return;
  options.elements.quantity.value = Number(options.elements.quantity.value) + step;
  show();
});
options.addEventListener('submit', (event) => event.preventDefault());

document.getElementById('shopper').addEventListener('change', (event) => {
  setShopperToken(TOKENS[event.target.value] ?? null);
});

const summary = document.querySelector('bwp-offer-summary');
summary.addEventListener('bwp-load', () => (log.textContent = `Offer shown for ${summary.sku}.`));
summary.addEventListener('bwp-error', (event) => (log.textContent = `No offer (${event.detail.code}).`));
new MutationObserver(() => {
  if (summary.getAttribute('state') === 'empty')
    log.textContent = `${summary.sku} is not Prime: nothing Prime shown.`;
}).observe(summary, {attributes: true, attributeFilter: ['state']});
