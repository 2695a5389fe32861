/**
 * How much the screens show, from the settings (App keeps it in step): speeds, token counts and
 * the device only when the user turned on technical details; patients see plain words.
 */
export const display = $state({ technical: false });
