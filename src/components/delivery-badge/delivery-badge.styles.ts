import {css} from 'lit';

// Compact (product cards): Amazon's promise is never cut. The badge and the promise share a line when
// they fit, else stack, and the promise wraps. `container-type: inline-size` keeps a long promise from
// widening its card or grid track, and lets the reserve follow the card's width: the block size of the
// longest promise the API words ("Get it Wednesday, Sep 30 – Wednesday, Oct 7") at that width, kept in
// every state, so nothing moves when the offer arrives. Measured in Chromium, Firefox and WebKit (their
// fonts wrap it differently) and kept about an em above the widest card that needs each line, so a
// wider font than these still fits: 5 lines under 12em, 4 under 14em, 3 under 27em, else 2. Only the
// compact rule reads --_compact-reserve, so the container rules can stay short.
export const styles = css`
  :host {
    --_reserve: var(--bwp-delivery-badge-reserve, 1.4em);
    color: var(--bwp-delivery-badge-color, var(--bwp-color-text, inherit));
    font: var(--bwp-delivery-badge-font, inherit);
  }
  :host([variant='compact']) {
    font-size: var(--bwp-delivery-badge-compact-size, 0.875em);
    container-type: inline-size;
    min-block-size: 0;
  }
  .offer {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    column-gap: var(--bwp-delivery-badge-gap, 0.4em);
  }
  :host([variant='compact']) [part='delivery'] {
    min-inline-size: 0;
    overflow-wrap: anywhere;
  }
  :host([variant='compact']:not([reserve='none'])) .root {
    min-block-size: var(--bwp-delivery-badge-reserve, var(--_compact-reserve, 2.8em));
  }
  @container (inline-size < 27em) {
    .root {
      --_compact-reserve: 4.2em;
    }
  }
  @container (inline-size < 14em) {
    .root {
      --_compact-reserve: 5.6em;
    }
  }
  @container (inline-size < 12em) {
    .root {
      --_compact-reserve: 7em;
    }
  }
`;
