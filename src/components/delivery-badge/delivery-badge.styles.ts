import {css} from 'lit';

// Compact: one line, and `contain: inline-size` so a long promise never widens its card or grid track.
export const styles = css`
  :host {
    --_reserve: var(--bwp-delivery-badge-reserve, 1.4em);
    color: var(--bwp-delivery-badge-color, var(--bwp-color-text, inherit));
    font: var(--bwp-delivery-badge-font, inherit);
  }
  :host([variant='compact']) {
    font-size: var(--bwp-delivery-badge-compact-size, 0.875em);
    contain: inline-size;
  }
  .offer {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    column-gap: var(--bwp-delivery-badge-gap, 0.4em);
  }
  :host([variant='compact']) .offer {
    flex-wrap: nowrap;
  }
  :host([variant='compact']) [part='delivery'] {
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
`;
