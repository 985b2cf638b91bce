;;; aam.el --- Annotated Article Markup with the aam language server  -*- lexical-binding: t; -*-

;; UNTESTED: no Emacs runs in this project's CI; this file has not been
;; loaded by a real Emacs here.  See README.md beside it.

;; Usage (Emacs 29+, eglot is built in):
;;   (add-to-list 'load-path "/path/to/aam/editors/emacs")
;;   (require 'aam)
;;   (add-hook 'aam-mode-hook #'eglot-ensure)
;;
;; Settings go to the server as initializationOptions, in the shape of
;; aam.toml (an aam.toml next to the article wins):
;;   (setq aam-initialization-options '(:rules (:AAM102 "off")))

;;; Code:

(require 'eglot)

(defgroup aam nil
  "Annotated Article Markup."
  :group 'text)

(defcustom aam-server-command '("aam" "lsp")
  "The command that starts the aam language server."
  :type '(repeat string))

(defcustom aam-initialization-options nil
  "Settings sent to the server, as a plist in the shape of aam.toml."
  :type 'sexp)

(defconst aam-font-lock-keywords
  `((,(rx line-start (= 3 "-") (* blank) line-end) . font-lock-comment-delimiter-face)
    (,(rx line-start (group (** 1 6 "#")) (+ blank) (group (* nonl)))
     (1 font-lock-keyword-face) (2 font-lock-function-name-face))
    (,(rx line-start (group "[" (or (seq "^" (+ (any alnum "_-"))) (+ digit)) "]") (? ":"))
     1 font-lock-constant-face)
    (,(rx "[" (or (seq "^" (+ (any alnum "_-")))
                  (seq (+ digit) (* (seq (* blank) (any ",-–") (* blank) (+ digit)))))
          "]" (not (any "(")))
     . font-lock-variable-name-face)
    (,(rx "http" (? "s") "://" (+ (not (any blank "\n" "<>\"”)"))))
     . font-lock-doc-face))
  "Highlighting for `aam-mode'.")

;;;###autoload
(define-derived-mode aam-mode text-mode "AAM"
  "Major mode for articles in Annotated Article Markup."
  (setq-local comment-start "<!-- ")
  (setq-local comment-end " -->")
  (setq-local comment-start-skip "<!--[ \t]*")
  (setq-local font-lock-defaults '(aam-font-lock-keywords))
  (visual-line-mode 1))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.aam\\'" . aam-mode))

(add-to-list 'eglot-server-programs
             `(aam-mode . ,(lambda (&optional _interactive)
                             (append aam-server-command
                                     (when aam-initialization-options
                                       (list :initializationOptions aam-initialization-options))))))

(provide 'aam)
;;; aam.el ends here
