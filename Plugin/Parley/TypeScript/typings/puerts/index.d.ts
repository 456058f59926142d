/**
 * The part of the `puerts` module the Parley plugin uses, as declared by the Puerts Unreal
 * plugin (`Plugins/Puerts/Typing/puerts/index.d.ts`).
 */
declare module "puerts" {
    import { Object, Class } from "ue";

    type $Nullable<T> = T | null;

    const argv: {
        getByIndex(index: number): Object;
        getByName(name: string): Object;
    };

    namespace blueprint {
        type MixinConfig = { objectTakeByNative?: boolean; inherit?: boolean; generatedClass?: Class; noMixinedWarning?: boolean };
        function mixin<T extends typeof Object, R extends InstanceType<T>>(to: T, mixinMethods: new (...args: any) => R, config?: MixinConfig): {
            new (Outer?: Object, Name?: string, ObjectFlags?: number): R;
            StaticClass(): Class;
        };
        function unmixin<T extends typeof Object>(to: T): void;
    }
}
