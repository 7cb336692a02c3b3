/** The sign-in pages' own rules: the workspace chooser's buttons as wide as the sign-in buttons above them. */
export const signin = {
  css: '.signin form{margin:0}.signin form .button{width:100%}',
};
